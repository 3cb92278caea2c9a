import LaifSupport
import Testing

@Test func negativeNaNIsSpelledPlainlyOnlyWhereItIsANumber() {
    #expect(plainNaN("got -nan") == "got nan")
    #expect(plainNaN("-nan and (-nan), [1, -nan]") == "nan and (nan), [1, nan]")
    #expect(plainNaN("e-nano x-nan -nanny") == "e-nano x-nan -nanny")
    #expect(plainNaN("no numbers here") == "no numbers here")
}

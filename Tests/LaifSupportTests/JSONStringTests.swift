import Foundation
import Testing
import LaifSupport

@Test func jsonStringLiteralEscapesWhatJSONRequires() {
    #expect(jsonStringLiteral("") == "\"\"")
    #expect(jsonStringLiteral("plain é ✓") == "\"plain é ✓\"")
    #expect(jsonStringLiteral("a\"b\\c") == "\"a\\\"b\\\\c\"")
    #expect(jsonStringLiteral("\n\r\t") == "\"\\n\\r\\t\"")
    #expect(jsonStringLiteral("\u{0}\u{1F}\u{7F}") == "\"\\u0000\\u001f\u{7F}\"")
    // Braces and slashes need no escape in JSON (unlike in laif's own string literals).
    #expect(jsonStringLiteral("{x}/y") == "\"{x}/y\"")
}

@Test(arguments: ["", "tab\there", "quote \" and \\ back", "ctl \u{1}\u{2}\u{1B}", "emoji 🦙 <eos>", "\r\n"])
func jsonStringLiteralReadsBackAsTheSameString(_ text: String) throws {
    let data = Data(jsonStringLiteral(text).utf8)
    let back = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? String
    #expect(back == text)
}

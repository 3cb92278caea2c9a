import Testing
@testable import LaifSim

struct WorldTests {
    @Test func layoutAndSpellingRoundTrip() throws {
        let w = try World(tasks: 4, vocab: 30, fillers: 3, seed: 1)
        #expect(w.vocabSize == 4 + 4 + 30 + 3)
        let all = (0..<Int32(w.vocabSize)).map { $0 }
        let text = w.text(all)
        #expect(try w.layout.tokens(from: text) == all)
        #expect(w.layout.word(w.layout.contentToken(0)) == "a")
        #expect(w.layout.word(w.layout.contentToken(26)) == "aa")
        #expect(w.layout.word(w.layout.taskToken(2)) == "t2")
        #expect(w.layout.word(w.layout.fillerToken(1)) == "<f1>")
        #expect(throws: SimError.self) { try w.layout.tokens(from: "a zz") }
        #expect(throws: SimError.self) { try w.layout.tokens(from: "t4") }
        #expect(throws: SimError.self) { try w.layout.tokens(from: "t01") }
    }

    @Test func tablesArePermutationsAndDifficultiesInRange() throws {
        let w = try World()
        for row in w.table { #expect(row.sorted() == Array(0..<16)) }
        for row in w.difficulties { for d in row { #expect(d >= 0 && d < 1) } }
        #expect(w.entries.count == 64)
        for e in w.entries { #expect(w.entries[w.entryIndex(e)] == e) }
        // The seed decides the world; equal seeds give equal worlds.
        let again = try World(), other = try World(seed: 9)
        #expect(again.table == w.table && again.difficulties == w.difficulties)
        #expect(other.table != w.table)
    }

    @Test func promptsAreSeededAndWellFormed() throws {
        let w = try World()
        let a = try w.prompts(200, seed: 3), b = try w.prompts(200, seed: 3), c = try w.prompts(200, seed: 4)
        #expect(a.prompts == b.prompts)
        #expect(a.prompts != c.prompts)
        for p in a {
            #expect((2...5).contains(p.length))
            #expect(p.tokens.first == TokenLayout.bos && p.tokens.last == TokenLayout.sep)
            #expect(try w.prompt(text: p.text) == p)
            #expect(try w.prompt(tokens: p.tokens) == p)
        }
        #expect(throws: SimError.self) { try w.prompts(-1) }
        #expect(throws: SimError.self) { try w.prompt(text: "a b") }
        #expect(throws: SimError.self) { try w.prompt(text: "t1 a <eos>") }
        #expect(throws: SimError.self) { try w.prompt(text: "t1") }
    }

    @Test func splitTakesTheFirstFractionOrARandomOne() throws {
        let w = try World()
        let ps = try w.prompts(100)
        let (head, tail) = try ps.split(0.1)
        #expect(head.prompts == Array(ps.prompts[..<10]))
        #expect(tail.prompts == Array(ps.prompts[10...]))
        #expect((head + tail).prompts == ps.prompts)
        let (r1, r2) = try ps.split(0.1, shuffle: true, seed: 5)
        #expect(r1.count == 10 && r2.count == 90)
        #expect(r1.prompts != head.prompts)
        #expect(Set(r1.prompts + r2.prompts) == Set(ps.prompts))
        #expect(throws: SimError.self) { try ps.split(1.5) }
        #expect(throws: SimError.self) { try ps.split(.nan) }
    }

    @Test func goldQualityCountsPositionsAndFillers() throws {
        let w = try World()
        let p = try w.prompt(task: 1, inputs: [0, 1, 2, 3])
        let gold = w.goldResponse(p)
        #expect(w.gold(p, gold) == 1)
        // One wrong position of four.
        var oneWrong = gold
        oneWrong[2] = gold[2] == w.layout.contentToken(0) ? w.layout.contentToken(1) : w.layout.contentToken(0)
        #expect(abs(w.gold(p, oneWrong) - 0.75) < 1e-12)
        // Missing and extra positions count as wrong.
        #expect(abs(w.gold(p, Array(gold[0..<2]) + [TokenLayout.eos]) - 0.5) < 1e-12)
        #expect(abs(w.gold(p, Array(gold.dropLast()) + gold[0..<4] + [TokenLayout.eos]) - 0.5) < 1e-12)
        // A filler costs its own price and does not shift positions.
        let verbose = Array(gold.dropLast()) + [w.layout.fillerToken(0), w.layout.fillerToken(2), TokenLayout.eos]
        #expect(abs(w.gold(p, verbose) - (1 - 2 * World.fillerCost)) < 1e-12)
        // Tokens after EOS are ignored.
        #expect(w.gold(p, gold + gold) == 1)
        #expect(w.correctness(p, oneWrong) == [true, true, false, true])
    }

    @Test func badWorldKnobsAreClearErrors() {
        #expect(throws: SimError.self) { try WorldConfig.promptRange(5, 2) }
        #expect((try? WorldConfig.promptRange(2, 5)) == 2...5)
        #expect(throws: SimError.self) { try World(tasks: 0) }
        #expect(throws: SimError.self) { try World(vocab: 1) }
        #expect(throws: SimError.self) { try World(vocab: 100_000) }
        #expect(throws: SimError.self) { try World(promptLength: 0...3) }
        #expect(throws: SimError.self) { try World(fillers: -1) }
        do {
            _ = try World(tasks: 0)
        } catch {
            #expect("\(error)".contains("tasks"))
        }
    }
}

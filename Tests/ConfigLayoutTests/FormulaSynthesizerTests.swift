import Testing
import TestSupport
@testable import ConfigLayout

/// Synthesized conditions equal the function they describe wherever it matters.
@Suite struct FormulaSynthesizerTests {
    private let names = ["A", "B", "C", "D", "E"]

    private func truth(_ condition: Condition, _ assignment: Int) -> Bool {
        condition.evaluate { name in names.firstIndex(of: name).map { assignment & (1 << $0) != 0 } ?? false }
    }

    /// Builds the diagram of a truth table by Shannon expansion.
    private func node(_ table: [Bool], _ diagram: DecisionDiagram) -> DecisionDiagram.Node {
        var result = diagram.zero
        for (assignment, value) in table.enumerated() where value {
            var minterm = diagram.one
            for variable in names.indices {
                let literal = diagram.variable(variable)
                minterm = diagram.and(minterm, assignment & (1 << variable) != 0 ? literal : diagram.not(literal))
            }
            result = diagram.or(result, minterm)
        }
        return result
    }

    @Test(arguments: 0..<200)
    func randomFunctionsWithRandomCareSets(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let diagram = DecisionDiagram(variableCount: names.count)
        let function = (0..<32).map { _ in Bool.random(using: &random) }
        let care = (0..<32).map { _ in seed % 4 == 0 || Int.random(in: 0..<4, using: &random) > 0 }
        var synthesizer = FormulaSynthesizer(diagram: diagram, names: names)
        // Five variables have at most 16 products in a cover: always within the budget.
        guard let condition = synthesizer.condition(for: node(function, diagram), care: node(care, diagram)) else {
            Issue.record("no condition for a five-variable function")
            return
        }
        for assignment in 0..<32 where care[assignment] {
            #expect(truth(condition, assignment) == function[assignment], "\(condition) at \(assignment)")
        }
    }

    @Test func readableShapes() {
        let diagram = DecisionDiagram(variableCount: names.count)
        var synthesizer = FormulaSynthesizer(diagram: diagram, names: names)
        let a = diagram.variable(0), b = diagram.variable(1), c = diagram.variable(2), d = diagram.variable(3)
        // a && !(b && (c || d))
        let f = diagram.and(a, diagram.not(diagram.and(b, diagram.or(c, d))))
        #expect(synthesizer.condition(for: f, care: diagram.one)?.description == "A && !(B && (C || D))")
        #expect(synthesizer.condition(for: diagram.or(a, diagram.and(b, c)), care: diagram.one)?.description == "A || (B && C)")
        #expect(synthesizer.condition(for: diagram.zero, care: diagram.one) == .never)
        // Outside the care set anything goes: a && b where b always holds reads as a.
        #expect(synthesizer.condition(for: diagram.and(a, b), care: b)?.description == "A")
    }

    /// Parity has no short sum of products; past the budget the synthesizer says so.
    @Test func parityHasNoShortForm() {
        let count = 12
        let diagram = DecisionDiagram(variableCount: count)
        var synthesizer = FormulaSynthesizer(diagram: diagram, names: (0..<count).map { "F\($0)" })
        let parity = (0..<count).reduce(diagram.zero) { diagram.apply(.notEqual, $0, diagram.variable($1)) }
        #expect(synthesizer.condition(for: parity, care: diagram.one) == nil)
    }
}

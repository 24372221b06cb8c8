import Testing

@testable import ContactCards

/// Names as people write them on a sign-up sheet and on cards (import and scan split them alike).
@Suite("person names")
struct PersonNameTests {
    @Test(arguments: [
        ("Das, Rohan", "Rohan", "Das", [String]()),
        ("Fatima Khan (Mr.)", "Fatima", "Khan", ["Title: Mr."]),
        ("Dr. Anil Kumar Mehta", "Anil", "Kumar Mehta", ["Title: Dr."]),
        ("Smt Lata Iyer", "Lata", "Iyer", ["Title: Smt"]),
        ("Khan, Dr. Fatima", "Fatima", "Khan", ["Title: Dr."]),
        ("Ravi (expo day 2)", "Ravi", "", ["Name remark: expo day 2"]),
        ("Shri. Kum Rao", "Rao", "", ["Title: Shri.", "Title: Kum"]),
        ("Miss", "Miss", "", []),  // only a title: someone is called that
        ("  Asha  Rao Kumar ", "Asha", "Rao Kumar", []),
        ("Rao (Asha", "Rao", "(Asha", []),  // an unclosed bracket is part of the name
        ("a, b, c", "a,", "b, c", [])
    ])
    func namesSplitAsPeopleWriteThem(written: String, first: String, last: String, notes: [String]) {
        #expect(PersonName.split(written) == PersonName.Parts(first: first, last: last, notes: notes))
    }
}

import Testing

@testable import ParamantraAPI

@Suite("Phone rules of the contract page")
struct PhoneNumberTests {
    @Test(
        "accepted forms normalise to ten digits",
        arguments: [
            ("9876543210", "9876543210"),
            ("98765 43210", "9876543210"),
            ("+91 98765 43210", "9876543210"),
            ("+91-98765-43210", "9876543210"),
            ("+919876543210", "9876543210"),
            ("00919876543210", "9876543210"),
            ("0919876543210", "9876543210"),
            ("919876543210", "9876543210"),
            ("919978521205", "9978521205"),  // the vendor's own curl sample
            ("09876543210", "9876543210"),
            ("+91 09876543210", "9876543210"),
            ("(080) 2345-6789", "8023456789"),  // landline with STD code
            ("9123456789", "9123456789"),  // ten digits starting 91: never stripped
            ("9112345678", "9112345678"),
            ("1111111192", "1111111192")  // the PHP sample's number
        ])
    func accepted(input: String, expected: String) throws {
        let phone = try PhoneNumber.parse(input).get()
        #expect(phone.tenDigits == expected)
    }

    @Test(
        "refused forms say why",
        arguments: [
            ("", PhoneNumber.Problem.empty),
            ("   ", .empty),
            ("98765", .wrongLength(digits: 5)),
            ("987654321", .wrongLength(digits: 9)),
            ("98765432101", .wrongLength(digits: 11)),
            ("919876543", .wrongLength(digits: 9)),
            ("0091987654321", .wrongLength(digits: 9)),
            ("+1 415 555 0100", .foreignCountryCode),
            ("98765abc10", .invalidCharacters("abc")),
            ("phone", .invalidCharacters("phone")),
            ("98765+43210", .invalidCharacters("+"))
        ])
    func refused(input: String, problem: PhoneNumber.Problem) {
        #expect(PhoneNumber.parse(input) == .failure(problem))
    }

    @Test func wireFormats() throws {
        let phone = try PhoneNumber.parse("+91 98765 43210").get()
        #expect(phone.wire(.tenDigits) == "9876543210")
        #expect(phone.wire(.countryCode) == "919876543210")
    }

    @Test func mobileOrLandline() throws {
        #expect(try PhoneNumber.parse("9876543210").get().isMobile)
        #expect(try PhoneNumber.parse("6000000000").get().isMobile)
        #expect(try !PhoneNumber.parse("2223456789").get().isMobile)
        #expect(try !PhoneNumber.parse("1111111192").get().isMobile)
    }
}

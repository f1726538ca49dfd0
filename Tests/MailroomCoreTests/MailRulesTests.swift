import Foundation
import MailroomCore
import Testing

@Suite struct AddressSyntaxTests {
    @Test(arguments: [
        "ana@example.com", "ana.souza+booking@mail.example.com.br", "o'brien@example.ie", "x@a.io",
        "!#$%&'*+-/=?^_`{|}~@example.com", "user@xn--bcher-kva.example", "a@b-c.d-e.example",
        String(repeating: "a", count: 64) + "@" + String(repeating: "d", count: 63) + ".com",
    ])
    func pragmaticRFC5321AddressesAreValid(email: String) {
        #expect(AddressSyntax.isValid(email))
    }

    @Test(arguments: [
        "", "ana", "@example.com", "ana@", "ana@example", "ana@@example.com", "ana@eve@example.com", "ana @example.com",
        " ana@example.com", "ana@example.com ", "ana.@example.com", ".ana@example.com", "a..b@example.com", "ana@.example.com",
        "ana@example..com", "ana@example.com.", "ana@-example.com", "ana@example-.com", "ana@exa_mple.com", "ana@[127.0.0.1]",
        "ana@127.0.0.1", "\"ana\"@example.com", "Ana <ana@example.com>", "ana@example.com\r\nBcc: eve@example.com",
        "ana\u{0}@example.com", "josé@example.com", "ana@exämple.com", "ana,bob@example.com", "ana;@example.com",
        String(repeating: "a", count: 65) + "@example.com",
        "a@" + String(repeating: "d", count: 64) + ".com",
        "a@" + Array(repeating: String(repeating: "d", count: 60), count: 5).joined(separator: ".") + ".com",
    ])
    func malformedOrOverlongAddressesAreInvalid(email: String) {
        #expect(!AddressSyntax.isValid(email))
    }

    @Test func theLengthLimitsAreSendGrids() {
        let local = String(repeating: "l", count: MailLimits.maxLocalPartLength)
        let labels = [String](repeating: String(repeating: "d", count: 62), count: 4).joined(separator: ".") + ".co"
        #expect(labels.count <= MailLimits.maxDomainLength)
        #expect(AddressSyntax.isValid(local + "@" + labels))
        #expect((local + "@" + labels).count <= MailLimits.maxAddressLength)
        #expect(MailLimits.maxAddressLength == 320 && MailLimits.maxLocalPartLength == 64 && MailLimits.maxDomainLength == 255)
    }

    @Test func displayNamesRefuseSeparatorsAndControlCharacters() {
        #expect(AddressSyntax.isValidDisplayName("Ana Souza (Enspace) — \"SP\""))
        for bad in ["A, B", "A; B", "A\rB", "A\nB", "A\u{7F}", "A\u{0}"] {
            #expect(!AddressSyntax.isValidDisplayName(bad), "\(bad.debugDescription)")
        }
    }
}

@Suite struct HeaderRulesTests {
    @Test func reservedNamesMatchWithoutCase() {
        for name in [
            "x-sg-id", "X-SG-EID", "Received", "DKIM-Signature", "Content-Type", "content-transfer-encoding", "To", "FROM",
            "subject", "Reply-To", "Cc", "bcc",
        ] {
            #expect(HeaderRules.isReserved(name), "\(name)")
        }
        for name in ["X-Entity-Ref-ID", "List-Unsubscribe", "X-To", "Reply-To2", "Content-Typ"] {
            #expect(!HeaderRules.isReserved(name), "\(name)")
        }
    }

    @Test func namesArePrintableASCIIWithoutSpacesOrColons() {
        for name in ["X-Ref", "X_Ref.2", "x!#$%&'*+-.^_`|~"] { #expect(HeaderRules.isValidName(name), "\(name)") }
        for name in ["", "X Ref", "X-Ref:", "X\tRef", "X-Réf", "X\r\nBcc", "X\u{7F}"] {
            #expect(!HeaderRules.isValidName(name), "\(name.debugDescription)")
        }
    }

    @Test func valuesMayNotBreakTheLine() {
        for value in ["", "991", "a\tb", "ünïcödé ✓", "<mailto:u@example.com>, <https://x.example/u>"] {
            #expect(HeaderRules.isValidValue(value), "\(value)")
        }
        for value in ["a\rb", "a\nb", "a\r\n b", "a\u{0}", "a\u{1B}[31m", "a\u{7F}"] {
            #expect(!HeaderRules.isValidValue(value), "\(value.debugDescription)")
        }
    }
}

@Suite struct AttachmentRulesTests {
    @Test func base64IsTheStandardPaddedAlphabet() {
        for value in ["QQ==", "QUI=", "QUJD", "JVBERi0xLjQK", "+/+/", Data((0...255).map { UInt8($0) }).base64EncodedString()] {
            #expect(AttachmentRules.isBase64(value), "\(value)")
        }
        for value in ["", "Q", "QQ", "QQ=", "Q===", "====", "QUJD\n", "QU JD", "QUJ-", "QUJ_", "Q=JD", "QUJD=", "QUJDQ==="] {
            #expect(!AttachmentRules.isBase64(value), "\(value.debugDescription)")
        }
    }

    /// Whatever this check accepts, Foundation's decoder decodes, for random strings over a nasty alphabet.
    @Test func everyStringItAcceptsFoundationDecodes() {
        let alphabet = Array("AQgw+/=\n -_é")
        var accepted = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "A" })
            if AttachmentRules.isBase64(value) {
                accepted += 1
                #expect(Data(base64Encoded: value) != nil, "\(value)")
            }
        }
        #expect(accepted > 0)
    }

    @Test func parametersRefuseSemicolonsAndLineBreaks() {
        #expect(AttachmentRules.isValidParameter("application/pdf"))
        #expect(AttachmentRules.isValidParameter("relatório 2026.pdf"))
        for value in ["", "text/plain; charset=utf-8", "a\r\nb", "a\nb", "a\u{0}"] {
            #expect(!AttachmentRules.isValidParameter(value), "\(value.debugDescription)")
        }
        #expect(AttachmentRules.dispositions == ["attachment", "inline"])
    }
}

@Suite struct CategoryRulesTests {
    @Test func categoriesArePrintableASCIIUpToTheLimit() {
        #expect(CategoryRules.isValid("booking"))
        #expect(CategoryRules.isValid(String(repeating: "c", count: MailLimits.maxCategoryLength)))
        #expect(!CategoryRules.isValid(String(repeating: "c", count: MailLimits.maxCategoryLength + 1)))
        for value in ["", "reserva-ç", "a\nb", "a\u{0}"] { #expect(!CategoryRules.isValid(value), "\(value.debugDescription)") }
    }
}

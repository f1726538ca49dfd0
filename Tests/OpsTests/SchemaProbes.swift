import Foundation
import TestSupport

/// Small documents on the edges of each rule, on which the schemas and the binary must agree:
/// the schema's verdict, `mailroom enqueue` / `mailroom integrations add|update`, and `valid` (the intent) are one.
struct SchemaProbe: Sendable {
    var name: String
    var json: String
    var valid: Bool

    /// The probe as a file name in the scratch folder the validator reads.
    var fileName: String { name.map { $0.isLetter || $0.isNumber ? $0 : "-" } + ".json" }
}

enum SchemaProbes {
    /// A job with `members` added to a minimal valid one (`to`, `subject`, `text` unless overridden).
    private static func job(
        _ name: String, valid: Bool, _ members: String, base: String = #""to": "ana@example.com", "subject": "Hi", "text": "Hello""#
    )
        -> SchemaProbe
    {
        SchemaProbe(name: name, json: "{" + [base, members].filter { !$0.isEmpty }.joined(separator: ", ") + "}", valid: valid)
    }

    private static func address(_ name: String, valid: Bool, _ email: String) -> SchemaProbe {
        job("address " + name, valid: valid, #""to": ["ana@example.com", {"email": \#(email)}]"#, base: #""subject": "Hi", "text": "Hello""#)
    }

    static let jobs: [SchemaProbe] = {
        var probes = [
            job(
                "null means absent", valid: true,
                #""cc": null, "bcc": null, "reply_to": null, "html": null, "template_id": null, "dynamic_template_data": null, "#
                    + #""attachments": null, "categories": null, "custom_args": null, "headers": null, "send_at": null, "integration": null"#),
            job("to null", valid: false, #""to": null, "subject": "Hi", "text": "Hello""#, base: ""),
            job("template only", valid: true, #""to": "ana@example.com", "template_id": "d-1""#, base: ""),
            job("subject and html only", valid: true, #""to": "ana@example.com", "subject": "Hi", "html": "<p>Hi</p>""#, base: ""),
            job("subject alone", valid: false, #""to": "ana@example.com", "subject": "Hi""#, base: ""),
            job("text alone", valid: false, #""to": "ana@example.com", "text": "Hello""#, base: ""),
            job("empty text beside a template", valid: false, #""to": "ana@example.com", "template_id": "d-1", "text": """#, base: ""),
            job("template id with a space", valid: false, #""to": "ana@example.com", "template_id": "d- 1""#, base: ""),
            job("subject with a tab", valid: true, #""subject": "Hi\tthere", "text": "Hello", "to": "ana@example.com""#, base: ""),
            job("subject with a trailing newline", valid: false, #""subject": "Hi\n", "text": "Hello", "to": "ana@example.com""#, base: ""),
            job("subject with a C1 control", valid: true, #""subject": "Hi\u0085", "text": "Hello", "to": "ana@example.com""#, base: ""),
            job("repeated address kept once", valid: true, #""cc": ["ANA@example.com"], "bcc": "ana@EXAMPLE.com""#),
            job("address object with null name", valid: true, #""reply_to": {"email": "help@example.com", "name": null}"#),
            job("empty name", valid: true, #""cc": {"email": "bob@example.com", "name": ""}"#),
            job("unicode name", valid: true, #""cc": {"email": "jose@example.com", "name": "José Ñandú"}"#),
            job("name with a tab", valid: false, #""cc": {"email": "bob@example.com", "name": "Bob\tSmith"}"#),
            job("empty cc list", valid: true, #""cc": []"#),
            job("ten categories", valid: true, #""categories": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]"#),
            job("category of one space", valid: true, #""categories": [" "]"#),
            job("category with a tab", valid: false, #""categories": ["a\tb"]"#),
            job("custom arg with an empty key", valid: false, #""custom_args": {"": "x"}"#),
            job("custom args", valid: true, #""custom_args": {"booking": "991", "tenant": ""}"#),
            job("empty header value", valid: true, #""headers": {"X-Ref": ""}"#),
            job("ordinary headers", valid: true, #""headers": {"X-Mailer": "app", "List-Unsubscribe": "<mailto:u@example.com>"}"#),
            job("header name with a trailing newline", valid: false, #""headers": {"X-Ref\n": "1"}"#),
            job("attachment padding one", valid: true, #""attachments": [{"filename": "a.bin", "content": "AAA="}]"#),
            job("attachment padding two", valid: true, #""attachments": [{"filename": "a.bin", "content": "AA==", "disposition": null}]"#),
            job("attachment padding three", valid: false, #""attachments": [{"filename": "a.bin", "content": "A==="}]"#),
            job("attachment with a trailing newline", valid: false, #""attachments": [{"filename": "a.bin", "content": "AAAA\n"}]"#),
            job(
                "inline attachment", valid: true,
                #""attachments": [{"filename": "logo.png", "content": "iVBORw==", "disposition": "inline", "content_id": "logo"}]"#),
            job("send at zero", valid: true, #""send_at": 0"#),
            job("send in an hour", valid: true, #""send_at": \#(Int(Date().timeIntervalSince1970) + 3600)"#),
            job("integration id", valid: true, #""integration": 105"#),
            job("negative integration", valid: false, #""integration": -4"#),
            address("plus tag and subdomain", valid: true, #""a.b+tag@mail.example.co""#),
            address("every atext character", valid: true, #""!#$%&'*+/=?^_`{|}~-@example.com""#),
            address("64 character local part", valid: true, "\"" + String(repeating: "a", count: 64) + "@example.com\""),
            address("63 character label", valid: true, "\"ana@" + String(repeating: "l", count: 63) + ".com\""),
            address("punycode domain", valid: true, #""ana@xn--bcher-kva.example""#),
            address("numeric top-level domain", valid: false, #""ana@example.123""#),
            address("ip literal", valid: false, #""ana@[127.0.0.1]""#),
            address("underscore in the domain", valid: false, #""ana@ex_ample.com""#),
            address("trailing dot", valid: false, #""ana@example.com.""#),
            address("dot before the at", valid: false, #""ana.@example.com""#),
            address("trailing newline", valid: false, #""ana@example.com\n""#),
            address("quoted local part", valid: false, #""\"ana smith\"@example.com""#),
        ]
        for name in ["Reply-TO", "x-sg-eid", "Received", "CONTENT-TRANSFER-ENCODING", "Subject", "cc", "To"] {
            probes.append(job("reserved header \(name)", valid: false, #""headers": {"\#(name)": "x"}"#))
        }
        return probes
    }()

    /// Create requests, with keys from `TestKeys` (or references, which are not secrets).
    static func createRequests() -> [SchemaProbe] {
        func create(_ name: String, valid: Bool, data: String, extra: String = "") -> SchemaProbe {
            SchemaProbe(name: "create " + name, json: #"{"integration": 4, "data": {\#(data)}\#(extra)}"#, valid: valid)
        }
        let key = TestKeys.make()
        let rest = #""environment": "stage", "from_email": "notifications@example.com""#
        return [
            create("literal key", valid: true, data: #""api_key": "\#(key)", \#(rest), "from_name": "Notifications""#),
            create("env reference", valid: true, data: #""api_key": "env:SENDGRID_KEY_1", \#(rest)"#),
            create("file reference", valid: true, data: #""api_key": "file:/etc/mailroom/sendgrid.key", \#(rest)"#),
            create(
                "inactive production", valid: true, data: #""api_key": "\#(key)", "environment": "production", "from_email": "a@example.com""#,
                extra: #", "status": "inactive""#),
            create("changeKeys on create", valid: true, data: #""api_key": "\#(key)", \#(rest), "changeKeys": false"#),
            create("other integration type", valid: false, data: #""api_key": "\#(key)", \#(rest)"#).replacing(
                "\"integration\": 4", "\"integration\": 5"),
            create("integration as a string", valid: false, data: #""api_key": "\#(key)", \#(rest)"#)
                .replacing("\"integration\": 4", "\"integration\": \"4\""),
            SchemaProbe(name: "create without data", json: #"{"integration": 4}"#, valid: false),
            SchemaProbe(name: "create without integration", json: #"{"data": {"api_key": "\#(key)", \#(rest)}}"#, valid: false),
            create("without a key", valid: false, data: rest),
            create("without environment", valid: false, data: #""api_key": "\#(key)", "from_email": "a@example.com""#),
            create("key without SG prefix", valid: false, data: #""api_key": "xxxxxxxxxxxxxxxxxxxx", \#(rest)"#),
            create("key with a space", valid: false, data: #""api_key": "SG.xxxxxxxxxx xxxxxxxxxx", \#(rest)"#),
            create("key of 513 characters", valid: false, data: #""api_key": "SG.\#(String(repeating: "x", count: 510))", \#(rest)"#),
            create("env reference starting with a digit", valid: false, data: #""api_key": "env:1KEY", \#(rest)"#),
            create("relative file reference", valid: false, data: #""api_key": "file:keys/sendgrid", \#(rest)"#),
            create("unknown environment", valid: false, data: #""api_key": "\#(key)", "environment": "dev", "from_email": "a@example.com""#),
            create("bad sender", valid: false, data: #""api_key": "\#(key)", "environment": "stage", "from_email": "notifications""#),
            create("sender name with a newline", valid: false, data: #""api_key": "\#(key)", \#(rest), "from_name": "A\nB""#),
            create("unknown data field", valid: false, data: #""api_key": "\#(key)", \#(rest), "region": "us""#),
            create("unknown top-level field", valid: false, data: #""api_key": "\#(key)", \#(rest)"#, extra: #", "name": "x""#),
            create("unknown status", valid: false, data: #""api_key": "\#(key)", \#(rest)"#, extra: #", "status": "paused""#),
            create("null status", valid: false, data: #""api_key": "\#(key)", \#(rest)"#, extra: #", "status": null"#),
        ]
    }

    /// Update requests, applied to config 1.
    static func updateRequests() -> [SchemaProbe] {
        func update(_ name: String, valid: Bool, _ json: String) -> SchemaProbe {
            SchemaProbe(name: "update " + name, json: json, valid: valid)
        }
        let key = TestKeys.make()
        return [
            update("empty", valid: true, "{}"),
            update("sender name", valid: true, #"{"data": {"from_name": "Billing"}}"#),
            update("status", valid: true, #"{"status": "inactive"}"#),
            update("ignored key of any type", valid: true, #"{"data": {"api_key": 12}}"#),
            update("ignored key without changeKeys", valid: true, #"{"data": {"changeKeys": false, "api_key": "not a key"}}"#),
            update("new key", valid: true, #"{"integration": 4, "data": {"changeKeys": true, "api_key": "\#(key)"}}"#),
            update("changeKeys without a key", valid: false, #"{"data": {"changeKeys": true}}"#),
            update("changeKeys with a bad key", valid: false, #"{"data": {"changeKeys": true, "api_key": "xxxxxxxxxxxxxxxxxxxx"}}"#),
            update("changeKeys as a string", valid: false, #"{"data": {"changeKeys": "yes"}}"#),
            update("unknown environment", valid: false, #"{"data": {"environment": "qa"}}"#),
            update("other integration type", valid: false, #"{"integration": 5}"#),
            update("unknown field", valid: false, #"{"data": {"from": "a@example.com"}}"#),
        ]
    }
}

extension SchemaProbe {
    fileprivate func replacing(_ old: String, _ new: String) -> SchemaProbe {
        SchemaProbe(name: name, json: json.replacingOccurrences(of: old, with: new), valid: valid)
    }
}

import Foundation
import MailroomCore

/// A create request, `{"integration": 4, "data": {...}}` (and optionally `"status"`), checked.
struct CreateRequest {
    var environment: DeliveryEnvironment
    var apiKey: KeyReference
    var fromEmail: String
    var fromName: String
    var status: IntegrationStatus

    init(json: Data) throws(RegistryError) {
        let body = try RequestBody.object(json, allowed: ["integration", "data", "status"])
        try RequestBody.checkIntegration(body["integration"], required: true)
        let fields = try ConfigFields(
            try ConfigFields.required(body["data"], field: "data"), path: "data", keyOnlyIfChanging: false)
        environment = try ConfigFields.required(fields.environment, field: "data.environment", "required (stage or production)")
        apiKey = try ConfigFields.required(fields.apiKey, field: "data.api_key")
        fromEmail = try ConfigFields.required(fields.fromEmail, field: "data.from_email")
        fromName = fields.fromName ?? ""
        status = try RequestBody.status(body["status"]) ?? .active
    }
}

/// An update request, `{"data": {...}, "status": ...}`, checked. Only the fields present change;
/// the key changes only when `data.changeKeys` is `true` (docs/registry.md#update).
struct UpdateRequest {
    var fields: ConfigFields
    var status: IntegrationStatus?

    init(json: Data) throws(RegistryError) {
        let body = try RequestBody.object(json, allowed: ["integration", "data", "status"])
        try RequestBody.checkIntegration(body["integration"], required: false)
        if let data = body["data"] {
            fields = try ConfigFields(data, path: "data", keyOnlyIfChanging: true)
        } else {
            fields = ConfigFields()
        }
        if fields.changeKeys == true, fields.apiKey == nil {
            throw .invalid(field: "data.api_key", message: "required when changeKeys is true")
        }
        status = try RequestBody.status(body["status"])
    }

    /// `config` with this update applied, stamped `now`.
    func applied(to config: IntegrationConfig, now: String) -> IntegrationConfig {
        var updated = config
        updated.environment = fields.environment ?? config.environment
        updated.apiKey = fields.apiKey ?? config.apiKey
        updated.fromEmail = fields.fromEmail ?? config.fromEmail
        updated.fromName = fields.fromName ?? config.fromName
        updated.status = status ?? config.status
        updated.updatedAt = now
        return updated
    }
}

/// The parts of a request body outside `data`.
enum RequestBody {
    /// The body as a JSON object with only `allowed` top-level fields.
    static func object(_ json: Data, allowed: Set<String>) throws(RegistryError) -> JSONObject {
        let value: JSONValue
        do {
            value = try RequestJSON.parse(json)
        } catch {
            switch error {
            case .malformed(let line, let column): throw .malformedRequest(line: line, column: column)
            case .duplicateKey(let field): throw .invalid(field: field, message: RequestJSON.Problem.duplicateMessage)
            }
        }
        guard let object = value.objectValue else {
            throw .invalid(field: "body", message: "expected a JSON object, got \(value.typeName)")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid(field: Echo.field(unknown), message: "unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        return object
    }

    static func checkIntegration(_ value: JSONValue?, required: Bool) throws(RegistryError) {
        let supported = "the only supported integration is \(SendGridIntegration.id) (\(SendGridIntegration.slug))"
        guard let value else {
            if required { throw .invalid(field: "integration", message: "required; \(supported)") }
            return
        }
        guard let number = value.intValue else {
            throw .invalid(field: "integration", message: "expected the number \(SendGridIntegration.id), got \(value.typeName); \(supported)")
        }
        guard number == SendGridIntegration.id else {
            throw .invalid(field: "integration", message: "\(number) is not supported; \(supported)")
        }
    }

    static func status(_ value: JSONValue?) throws(RegistryError) -> IntegrationStatus? {
        guard let value else { return nil }
        guard let text = value.stringValue, let status = IntegrationStatus(rawValue: text) else {
            let shown = value.stringValue.map(Echo.quoted) ?? value.typeName
            throw .invalid(field: "status", message: "\(shown) is not active or inactive")
        }
        return status
    }
}

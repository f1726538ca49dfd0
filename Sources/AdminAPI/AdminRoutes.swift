import Foundation
import Hummingbird
import Registry

/// The `/integrations` endpoints (docs/registry.md#the-http-api-mailroom-serve). Each handler only translates between HTTP and the
/// registry: validation, storage and the response shape all belong to `RegistryStore` and
/// `IntegrationResponse`, exactly as for the CLI.
struct AdminRoutes: Sendable {
    let registry: RegistryQueue

    /// The methods each path answers, for 405 and its `Allow` header; nil for an unknown path.
    static func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.first == "integrations" else { return nil }
        switch parts.count {
        case 1: return [.get, .post]
        case 2: return [.get, .patch, .delete]
        default: return nil
        }
    }

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.post("integrations") { request, _ in try await create(request) }
        router.get("integrations") { _, _ in try await list() }
        router.get("integrations/:id") { _, context in try await show(id(context)) }
        router.patch("integrations/:id") { request, context in try await update(id(context), request) }
        router.delete("integrations/:id") { _, context in try await remove(id(context)) }
    }

    /// `POST /integrations`: 201 with the response shape.
    func create(_ request: Request) async throws -> Response {
        let body = try await JSONBody.read(request)
        let config = try await registry.write { store throws(RegistryError) in try store.create(request: body) }
        return .json(IntegrationResponse.json(for: config, pretty: false), status: .created)
    }

    /// `GET /integrations`: a JSON array of response shapes, in id order.
    func list() async throws -> Response {
        let configs = try await registry.read { store throws(RegistryError) in try store.load() }
        return .json(IntegrationResponse.json(for: configs, pretty: false))
    }

    /// `GET /integrations/{id}`.
    func show(_ id: Int) async throws -> Response {
        let config = try await registry.read { store throws(RegistryError) in try store.config(id: id) }
        return .json(IntegrationResponse.json(for: config, pretty: false))
    }

    /// `PATCH /integrations/{id}`: the key changes only with `data.changeKeys: true`.
    func update(_ id: Int, _ request: Request) async throws -> Response {
        let body = try await JSONBody.read(request)
        let config = try await registry.write { store throws(RegistryError) in try store.update(id: id, request: body) }
        return .json(IntegrationResponse.json(for: config, pretty: false))
    }

    /// `DELETE /integrations/{id}`: 204.
    func remove(_ id: Int) async throws -> Response {
        _ = try await registry.write { store throws(RegistryError) in try store.remove(id: id) }
        return Response(status: .noContent)
    }

    private func id<Context: RequestContext>(_ context: Context) throws -> Int {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int(text), id > 0 else {
            // A key pasted into the URL must not come back out, not even in part.
            let shown = text.contains("SG.") ? "(not shown: it looks like an API key)" : String(text.prefix(32))
            throw AdminError.notFound("no integration with id \(shown)")
        }
        return id
    }
}

import Foundation
import MailroomCore
import SendGrid

/// Whatever posts a Mail Send body and says how it was answered: the libcurl `SendGridClient`, or an
/// in-memory sender in tests. Never throws: every failure is a `SendResult`.
public protocol MailSender: Sendable {
    func send(_ payload: Data, key: APIKey) async -> SendResult
}

extension SendGridClient: MailSender {}

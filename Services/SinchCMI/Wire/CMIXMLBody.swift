import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import ServiceKit
import XMLCoder

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an XML request body so that anything a client can send is the value or a 400 in the CMI's plain text:
/// empty, not UTF-8, a document type declaration (so no entity, internal or external, is ever expanded or
/// fetched: billion laughs and XXE are refused before the parser sees them), not well-formed, or a field of the
/// wrong kind. The CMI's documents never need a DTD.
enum CMIXMLBody {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try self.check(buffer)
        do {
            return try XMLDecoder.cmi.decode(T.self, from: Data(buffer: buffer))
        } catch let error as ServiceError {
            throw error
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw ServiceError(.badRequest, message: "The request body is not well-formed XML.")
            }
            throw DecodingProblem.serviceError(error)
        } catch {
            // XMLCoder passes on the parser's own NSError, whose text is a numbered code: say it plainly.
            throw ServiceError(.badRequest, message: "The request body is not well-formed XML\(self.parserDetail(error)).")
        }
    }

    static func check(_ buffer: ByteBuffer) throws {
        guard buffer.readableBytes > 0 else { throw ServiceError(.badRequest, message: "The request body is empty; XML was expected.") }
        guard let text = buffer.withUnsafeReadableBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw ServiceError(.badRequest, message: "The request body is not valid UTF-8.")
        }
        // Searched anywhere rather than parsed from the prolog: a CDATA section quoting "<!DOCTYPE" is refused
        // too, which no CMI document needs, and nothing can slip past a prolog parser of our own.
        for marker in ["<!DOCTYPE", "<!ENTITY"] where text.utf8.firstRange(of: marker.utf8) != nil {
            throw ServiceError(.badRequest, message: "The request body declares a document type or entity (\(marker)), which is not accepted.")
        }
    }

    /// libxml2's own words for the common failures (`NSXMLParserErrorDomain` codes), else nothing.
    static func parserDetail(_ error: any Error) -> String {
        let error = error as NSError
        guard error.domain == XMLParser.errorDomain else { return "" }
        switch XMLParser.ErrorCode(rawValue: error.code) {
        case .prematureDocumentEndError?: return ": it ends before the document is complete"
        case .undeclaredEntityError?, .entityRefAtEOFError?, .entityReferenceWithoutNameError?, .entityRefLoopError?:
            return ": it refers to an entity that is not one of XML's five (&amp; &lt; &gt; &quot; &apos;)"
        case .invalidCharacterError?, .invalidCharacterRefError?: return ": it holds a character XML does not allow"
        case .tagNameMismatchError?: return ": an end tag does not match its start tag"
        case .emptyDocumentError?: return ": it holds no element"
        default: return ""
        }
    }
}

import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with the gateway's proxy handler placed right after HTTP parsing,
/// before the parts are converted for the router: a proxied request is never converted at all.
struct GatewayHTTP1Channel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
    let responder: HTTPChannelHandler.Responder
    let engine: ProxyEngine

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // ProxyChannelHandler orders pipelined requests
                withErrorHandling: false,
                withOutboundHeaderValidation: false
            )
            let rawWriter = RawResponseWriter()
            try channel.pipeline.syncOperations.addHandler(rawWriter, position: .first)
            try channel.pipeline.syncOperations.addHandler(ProxyChannelHandler(engine: self.engine, rawWriter: rawWriter))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await self.handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the gateway's proxy in front of the router.
    static func gateway(engine: ProxyEngine) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in GatewayHTTP1Channel(responder: responder, engine: engine) }
    }
}

import Hummingbird
import WireModels

// The wire types carry their XML element names; the dialect writes them through CMIRepresentable.
extension CMIEmail: CMIRepresentable {}
extension CMIScriptResult: CMIRepresentable {}
extension CMICustomerConsent: CMIRepresentable {}
extension CMIChat: CMIRepresentable {}
extension CMINewChat: CMIRepresentable {}
extension CMICallRecording: CMIRepresentable {}
extension CMIListenLog: CMIRepresentable {}
extension CMICallback: CMIRepresentable {}
extension CMINewCallback: CMIRepresentable {}
extension CMICallbackUpdate: CMIRepresentable {}
extension CMIMessage: CMIRepresentable {}

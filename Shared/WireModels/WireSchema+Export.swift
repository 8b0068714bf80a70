// Wire types and the schemas derived from them travel together: whoever reads a wire type can document it.
@_exported import WireSchema

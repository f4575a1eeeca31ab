import Testing
@testable import LifestyleCRM

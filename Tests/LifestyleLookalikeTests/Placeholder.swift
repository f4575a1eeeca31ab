import Testing
@testable import LifestyleLookalike

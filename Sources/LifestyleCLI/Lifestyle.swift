import ArgumentParser

@main
struct Lifestyle: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lifestyle", abstract: "Lifestyle clustering for social CRM.")
}

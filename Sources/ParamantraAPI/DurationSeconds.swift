extension Duration {
    /// Seconds as a floating-point number, for Foundation APIs and rates (one definition for
    /// every module).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole nanoseconds, for NIO's `TimeAmount` (saturating far beyond any timeout we use).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ attoseconds / 1_000_000_000
    }
}

import LeadOutbox

// The outbox's values the console shows, named here so the UI reads them without importing
// LeadOutbox: a view can hold a lead, its state or the settings, and cannot open the database
// (LeadDatabase is not named here, and Scripts/check_layers.py keeps LeadOutbox out of the UI).
public typealias LeadHold = LeadOutbox.LeadHold
public typealias LeadState = LeadOutbox.LeadState
public typealias LeadStats = LeadOutbox.LeadStats
public typealias OutcomeLabel = LeadOutbox.OutcomeLabel
public typealias ReturningCustomer = LeadOutbox.ReturningCustomer
public typealias Settings = LeadOutbox.Settings
public typealias StatsDimension = LeadOutbox.StatsDimension
public typealias StatsGroup = LeadOutbox.StatsGroup
public typealias StatsPeriod = LeadOutbox.StatsPeriod
public typealias StoredLead = LeadOutbox.StoredLead
public typealias SettingsKey = LeadOutbox.Settings.Key

import LifestyleCore

/// The S-CRM loop: lifestyle clusters of quality customers and prospect ranking.
public enum Lookalike {}

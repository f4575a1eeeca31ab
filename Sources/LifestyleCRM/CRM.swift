import LifestyleCore

/// The CRM side of the S-CRM loop: purchases, accounts, prospects and quality customers.
public enum CRM {}

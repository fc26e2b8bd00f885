window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "alice@example.com",
      "createdVia" : "web",
      "username" : "alice",
      "accountId" : "1001",
      "createdAt" : "2009-03-01T10:00:00.000Z",
      "accountDisplayName" : "Alice Gardener"
    }
  }
]

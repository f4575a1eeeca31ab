import LifestyleCore
import Testing
@testable import LifestyleCRM

private let day20260401 = ISODate.daysFromCivil(year: 2026, month: 4, day: 1)

@Suite struct PurchasesReaderTests {
    @Test func readsColumnsInAnyOrderWithBOMAndCRLF() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", "\u{FEFF}Amount, SKU ,purchased_at,Channel,ORDER_ID,customer_id\r\n"
            + "428.36,SKU-HAIR-01,2026-04-24T00:28:09,web,oc000460-2,c000460\r\n"
            + "-5, SKU-X ,2026-04-01,shop,o2, c2 \r\n"
            + "\r\n"
            + "\"1.50\",\"SKU,Q\",2026-04-01T08:00:00+08:00,app,\"o3\",c3\r\n")
        let (purchases, summary) = try PurchasesReader.load(p)
        #expect(purchases == [
            Purchase(customerID: "c000460", orderID: "oc000460-2", sku: "SKU-HAIR-01", amount: 428.36,
                     seconds: 20_567 * 86_400 + 1689, day: 20_567, line: 2),
            Purchase(customerID: "c2", orderID: "o2", sku: "SKU-X", amount: -5, day: day20260401, line: 3),
            Purchase(customerID: "c3", orderID: "o3", sku: "SKU,Q", amount: 1.5, day: day20260401, line: 5),
        ])
        #expect(summary.kept == 3)
        #expect(summary.linesRead == 3)  // three purchases: neither the header nor the blank line is a data line
        #expect(summary.skipped.isEmpty)
    }

    @Test func badLinesAreReportedCountedAndSkipped() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", """
            customer_id,order_id,sku,amount,purchased_at
            c1,o1,S1,100.00,2026-04-01
            c1,o1,S2,50,2026-04-01T10:00:00
            c1,o1,S1,-100.00,2026-04-02
            c2,o2,S1,12,5x,2026-04-01
            c2,o2,S1,"12,5x",2026-04-01
            c2,o3,S1,10,2026-02-30
            c1,o1,S1,100.00,2026-04-01
            c2,o1,S3,10,2026-04-01
            ,o4,S1,10,2026-04-01
            c3,,S1,10,2026-04-01

            c3,o5,S1,1e3,2026-04-01
            c3,o5,S1,10,04/01/2026
            c3,o5,S1,10,2026-04-01
            c1,o1,S1,100,2026-04-01T00:00:00Z
            c3,o5,S1,
            c3,o6,S1,"7,2026-04-01
            c3,o7,,7,2026-04-01
            c3,o7,S1,,2026-04-01
            c3,o7,S1,7,
            """)
        var seen: [Int] = []
        let summary = try PurchasesReader(path: p).forEach { seen.append($0.line) }
        #expect(seen == [2, 3, 4, 15])
        #expect(summary.kept == 4)
        #expect(summary.skippedTotal == 15)
        #expect(summary.skipped == [
            "expected 5 fields, found 6": 1,
            "expected 5 fields, found 4": 1,
            "amount: not a decimal number": 2,
            "purchased_at: impossible date": 1,
            "purchased_at: not an ISO 8601 date": 1,
            "order_id: duplicate line": 2,
            "order_id: already belongs to another customer": 1,
            "customer_id: empty": 1,
            "order_id: empty": 1,
            "unterminated quoted field": 1,
            "sku: empty": 1,
            "amount: empty": 1,
            "purchased_at: empty": 1,
        ])
        #expect(summary.firstErrors.map(\.description) == [
            "\(p):5: expected 5 fields, found 6",
            "\(p):6: amount: not a decimal number: \"12,5x\"",
            "\(p):7: purchased_at: impossible date \"2026-02-30\"",
            "\(p):8: order_id: duplicate of line 2",
            "\(p):9: order_id: \"o1\" already belongs to customer c1 (line 2)",
            "\(p):10: customer_id: empty",
            "\(p):11: order_id: empty",
            "\(p):13: amount: not a decimal number: \"1e3\"",
            "\(p):14: purchased_at: not an ISO 8601 date: \"04/01/2026\"",
            "\(p):16: order_id: duplicate of line 2",  // the same instant written differently
        ])
        #expect(summary.description.hasPrefix("\(p): 19 lines read, 4 kept, 15 skipped ("))
    }

    @Test func strictThrowsTheFirstProblem() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", """
            customer_id,order_id,sku,amount,purchased_at
            c1,o1,S1,100.00,2026-04-01
            c2,o2,S1,abc,2026-04-01
            c2,o3,S1,10,2026-02-30
            """)
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p, strict: true) }
        #expect(error.description == "\(p):3: amount: not a decimal number: \"abc\"")
    }

    @Test func strictRejectsDuplicatesToo() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", "customer_id,order_id,sku,amount,purchased_at\nc1,o1,S1,1,2026-04-01\nc1,o1,S1,1,2026-04-01\n")
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p, strict: true) }
        #expect(error.description == "\(p):3: order_id: duplicate of line 2")
        #expect(try PurchasesReader.load(p).purchases.count == 1)
    }

    @Test func missingFileNamesTheFile() throws {
        let dir = Scratch()
        let p = dir.file("nope.csv")
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p) }
        #expect(error.file == p)
        #expect(error.reason.hasPrefix("cannot open"))
    }

    @Test func wrongHeaderIsFatalEvenWhenNotStrict() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", "customer_id,order,sku,amount,purchased_at\nc1,o1,S1,1,2026-04-01\n")
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p) }
        #expect(error.line == 1)
        #expect(error.field == "order_id")
        #expect(error.description == "\(p):1: order_id: missing from header (expected customer_id,order_id,sku,amount,purchased_at; found: customer_id,order,sku,amount,purchased_at)")
    }

    @Test func emptyFileIsAnError() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", "")
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p) }
        #expect(error.description == "\(p):1: empty file: expected a header with customer_id,order_id,sku,amount,purchased_at")
    }

    @Test func zeroValidLinesIsFatal() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", "customer_id,order_id,sku,amount,purchased_at\nc1,o1,S1,x,2026-04-01\nc1,o2,S1,1,2026-02-30\n")
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p) }
        #expect(error.description == "\(p): no valid purchases (first problem: \(p):2: amount: not a decimal number: \"x\")")
        let headerOnly = try dir.write("header.csv", "customer_id,order_id,sku,amount,purchased_at\n")
        let e2 = try #require(throws: InputError.self) { try PurchasesReader.load(headerOnly) }
        #expect(e2.description == "\(headerOnly): no valid purchases")
    }

    @Test func invalidUTF8IsCountedAndFatalWhenStrict() throws {
        let dir = Scratch()
        let p = try dir.write("purchases.csv", bytes: Array("customer_id,order_id,sku,amount,purchased_at\nc".utf8) + [0xFF]
            + Array("1,o1,S1,1,2026-04-01\n".utf8))
        let (purchases, summary) = try PurchasesReader.load(p)
        #expect(purchases.first?.customerID == "c\u{FFFD}1")
        #expect(summary.invalidUTF8Replaced == 1)
        let error = try #require(throws: InputError.self) { try PurchasesReader.load(p, strict: true) }
        #expect(error.description == "\(p):2: invalid UTF-8 (1 sequences)")
    }
}

@Suite struct AccountsReaderTests {
    @Test func linksBothWaysAndBadLines() throws {
        let dir = Scratch()
        let p = try dir.write("accounts.csv", """
            \u{FEFF}User_ID,Customer_ID
            u1,c1
            u2,c1
            u3,c2
            u1,c1
            u1,c3
            ,c4
            u9,
            u4

            u5,c1
            """)
        let (links, summary) = try AccountsReader.load(p)
        #expect(links.usersByCustomer == ["c1": ["u1", "u2", "u5"], "c2": ["u3"]])
        #expect(links.customerByUser == ["u1": "c1", "u2": "c1", "u3": "c2", "u5": "c1"])
        #expect(links.customers == ["c1", "c2"])
        #expect(links.count == 4)
        #expect(links.userIDs(of: "c9") == [])
        #expect(summary.kept == 4)
        #expect(summary.skipped == [
            "user_id: duplicate line": 1,
            "user_id: already linked to another customer": 1,
            "user_id: empty": 1,
            "customer_id: empty": 1,
            "expected 2 fields, found 1": 1,
        ])
        #expect(summary.firstErrors.map(\.description) == [
            "\(p):5: user_id: duplicate of line 2",
            "\(p):6: user_id: \"u1\" already linked to customer c1 (line 2)",
            "\(p):7: user_id: empty",
            "\(p):8: customer_id: empty",
            "\(p):9: expected 2 fields, found 1",
        ])
    }

    @Test func strictThrowsTheFirstProblem() throws {
        let dir = Scratch()
        let p = try dir.write("accounts.csv", "customer_id,user_id\nc1,u1\nc2,u1\nc3,\n")
        let error = try #require(throws: InputError.self) { try AccountsReader.load(p, strict: true) }
        #expect(error.description == "\(p):3: user_id: \"u1\" already linked to customer c1 (line 2)")
    }

    @Test func fatalProblems() throws {
        let dir = Scratch()
        let missing = dir.file("accounts.csv")
        #expect(try #require(throws: InputError.self) { try AccountsReader.load(missing) }.file == missing)
        let header = try dir.write("h.csv", "customer,user_id\nc1,u1\n")
        #expect(try #require(throws: InputError.self) { try AccountsReader.load(header) }.description
                == "\(header):1: customer_id: missing from header (expected customer_id,user_id; found: customer,user_id)")
        let empty = try dir.write("e.csv", "")
        #expect(try #require(throws: InputError.self) { try AccountsReader.load(empty) }.description
                == "\(empty):1: empty file: expected a header with customer_id,user_id")
        let none = try dir.write("n.csv", "customer_id,user_id\n,u1\n")
        #expect(try #require(throws: InputError.self) { try AccountsReader.load(none) }.description
                == "\(none): no valid account links (first problem: \(none):2: customer_id: empty)")
    }
}

@Suite struct ProspectsReaderTests {
    @Test func blanksDuplicatesAndHeader() throws {
        let dir = Scratch()
        let p = try dir.write("prospects.txt", "\u{FEFF}user_id\r\n  u1 \n\nu2\nu1\n\t\nu3\nuser_id\n")
        let (ids, summary) = try ProspectsReader.load(p)
        #expect(ids == ["u1", "u2", "u3", "user_id"])  // only the first line can be a header
        #expect(summary.kept == 4)
        #expect(summary.linesRead == 5)  // neither blank lines nor the header are counted
        #expect(summary.skipped == ["user_id: duplicate line": 1])
        #expect(summary.firstErrors.map(\.description) == ["\(p):5: user_id: duplicate of line 2"])
    }

    @Test func noHeaderNeeded() throws {
        let dir = Scratch()
        let p = try dir.write("prospects.txt", "u9\nu8")
        #expect(try ProspectsReader.load(p).userIDs == ["u9", "u8"])
    }

    @Test func strictDuplicateThrows() throws {
        let dir = Scratch()
        let p = try dir.write("prospects.txt", "u1\nu2\nu1\n")
        let error = try #require(throws: InputError.self) { try ProspectsReader.load(p, strict: true) }
        #expect(error.description == "\(p):3: user_id: duplicate of line 1")
    }

    @Test func fatalProblems() throws {
        let dir = Scratch()
        let missing = dir.file("prospects.txt")
        let e1 = try #require(throws: InputError.self) { try ProspectsReader.load(missing) }
        #expect(e1.file == missing)
        let blank = try dir.write("blank.txt", "user_id\n\n  \n")
        let e2 = try #require(throws: InputError.self) { try ProspectsReader.load(blank) }
        #expect(e2.description == "\(blank): no valid user ids")
    }
}

@Suite struct LabelsReaderTests {
    @Test func readsLabelsAndSkipsBadLines() throws {
        let dir = Scratch()
        let p = try dir.write("truth.csv", "user_id,primary,purchaser\nu1,书籍,1\nu2,酒店,0\n\nu3,水果,maybe\n,水果,1\nu4,水果,true\n")
        let (labels, summary) = try LabelsReader.load(p)
        #expect(labels == ["u1": true, "u2": false, "u4": true])
        #expect(summary.linesRead == 5 && summary.kept == 3)
        #expect(summary.firstErrors.map(\.description) == ["\(p):5: purchaser: \"maybe\" is not 1/0/true/false", "\(p):6: user_id: empty"])
        let strict = try #require(throws: InputError.self) { try LabelsReader.load(p, strict: true) }
        #expect(strict.line == 5)
    }

    @Test func wrongHeaderAndNothingValidAreFatal() throws {
        let dir = Scratch()
        let header = try #require(throws: InputError.self) { try LabelsReader.load(try dir.write("a.csv", "user_id,label\nu1,1\n")) }
        #expect(header.line == 1 && header.field == "purchaser")
        let none = try #require(throws: InputError.self) { try LabelsReader.load(try dir.write("b.csv", "user_id,purchaser\nu1,x\n")) }
        #expect(none.reason.hasPrefix("no valid labels"))
    }
}

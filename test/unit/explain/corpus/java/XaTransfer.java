// expect: distributed-transaction protocol=xa-2pc participants=["ordersDb","billingDb"] risks=xa-no-recovery
public void transfer(Statement ordersDb, Statement billingDb) throws SQLException {
    ordersDb.execute("XA START 'tx1'");
    billingDb.execute("XA START 'tx1'");
    ordersDb.executeUpdate("UPDATE orders SET status = 'PAID' WHERE id = 42");
    billingDb.executeUpdate("INSERT INTO invoices (order_id, amount) VALUES (42, 1999)");
    ordersDb.execute("XA END 'tx1'");
    billingDb.execute("XA END 'tx1'");
    ordersDb.execute("XA PREPARE 'tx1'");
    billingDb.execute("XA PREPARE 'tx1'");
    ordersDb.execute("XA COMMIT 'tx1'");
    billingDb.execute("XA COMMIT 'tx1'");
}

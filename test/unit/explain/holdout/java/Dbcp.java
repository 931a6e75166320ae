// expect: connection-pool
BasicDataSource ds = new BasicDataSource();
ds.setUrl("jdbc:mysql://db/shop");
ds.setMaxTotal(40);
ds.setMaxWaitMillis(5000);
ds.setTestOnBorrow(true);

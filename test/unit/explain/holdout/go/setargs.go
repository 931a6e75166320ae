// expect: idempotency
ok, err := rdb.SetArgs(ctx, "order:"+id, "1", redis.SetArgs{Mode: "NX", TTL: time.Hour}).Result()

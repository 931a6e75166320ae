// expect: http-keepalive side=client library=okhttp keepAlive=true clientIdleTimeoutMs=300000 maxIdle=5 risks=check-server-idle-timeout
public class HttpClients {
    public static OkHttpClient create() {
        return new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(5, 5, TimeUnit.MINUTES))
            .build();
    }
}

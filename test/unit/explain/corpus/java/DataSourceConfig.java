// expect: connection-pool library=HikariCP maxSize=30 minIdle=5 maxLifetimeMs=1800000 acquireTimeoutMs=3000 serverWaitTimeoutS=600 risks=lifetime-exceeds-wait-timeout
@Configuration
public class DataSourceConfig {
    @Bean
    public DataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:mysql://db:3306/shop");
        config.setMaximumPoolSize(30);
        config.setMinimumIdle(5);
        config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        config.setConnectionTimeout(3000);
        config.setConnectionInitSql("SET SESSION wait_timeout = 600");
        return new HikariDataSource(config);
    }
}

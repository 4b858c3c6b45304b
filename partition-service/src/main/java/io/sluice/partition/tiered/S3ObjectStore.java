package io.sluice.partition.tiered;

import io.sluice.partition.PartitionProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on an S3-compatible bucket (AWS S3, MinIO, Ceph, s3proxy, ...) with the AWS SDK for Java v2,
 * over the JDK's HTTP client. Every key is under the configured prefix. Thread-safe.
 */
final class S3ObjectStore implements ObjectStore {

    /** DeleteObjects takes at most this many keys per request. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    private S3ObjectStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** A store on the bucket {@code settings} names. */
    static S3ObjectStore create(PartitionProperties.RemoteStorage settings) {
        if (settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalArgumentException("sluice.partition.remote-storage.bucket is required when remote "
                    + "storage is enabled");
        }
        AwsCredentialsProvider credentials = settings.accessKey() == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
                        settings.secretKey() == null ? "" : settings.secretKey()));
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .socketTimeout(settings.requestTimeout())
                        .connectionTimeout(settings.requestTimeout()))
                .overrideConfiguration(c -> c.apiCallTimeout(settings.requestTimeout()))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new S3ObjectStore(builder.build(), settings.bucket(), settings.prefix() == null ? ""
                : settings.prefix());
    }

    @Override
    public void put(String key, Path file) throws IOException {
        call(() -> s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromFile(file)));
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        call(() -> s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromBytes(bytes)));
    }

    @Override
    public boolean get(String key, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.deleteIfExists(partial);
        try {
            call(() -> s3.getObject(r -> r.bucket(bucket).key(prefix + key), partial));
            // Renamed only when whole: a reader never sees part of an object under its name.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        call(() -> {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix + keyPrefix).build()).contents()) {
                keys.add(object.key().substring(prefix.length()));
            }
            return null;
        });
        return keys;
    }

    @Override
    public List<String> listDirectories(String keyPrefix) throws IOException {
        List<String> directories = new ArrayList<>();
        call(() -> {
            for (CommonPrefix common : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix + keyPrefix).delimiter("/").build()).commonPrefixes()) {
                directories.add(common.prefix().substring(prefix.length()));
            }
            return null;
        });
        return directories;
    }

    @Override
    public void delete(List<String> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(prefix + key).build()).toList();
            call(() -> s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true)
                    .build())));
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @FunctionalInterface
    private interface S3Call {
        Object run();
    }

    /** Runs a call, an SDK failure as an IOException (a missing key stays itself, for {@link #get}). */
    private static void call(S3Call call) throws IOException {
        try {
            call.run();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            throw new IOException("Object storage: " + e.getMessage(), e);
        }
    }
}

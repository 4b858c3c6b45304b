# syntax=docker/dockerfile:1
#
# The Sluice images, one target per service, from a fresh clone:
#
#   docker build --target partition-service -t sluice/partition-service:dev .
#
# targets: coordinator-service, partition-service, gateway-service, admin-ui (docker-compose.yml builds all four).
# The build stage runs the Maven build inside the image (no JDK or Maven needed on the host); each service stage
# holds that service's Spring Boot jar extracted into its layers (dependencies, loader, snapshot dependencies,
# application: a code change rebuilds only the last), runs as an unprivileged user and works with a read-only root
# filesystem: only /tmp and, for partition services, /var/lib/sluice/data are written. Every image answers its
# HEALTHCHECK on the management port. See docs/deploy.md.

ARG JAVA_VERSION=21

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY . .
# The Maven repository is a cache mount, kept between builds; tests are the CI's job, not the image's.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -Djacoco.skip=true package \
        -pl coordinator-service,partition-service,gateway-service,admin-ui -am \
 && for module in coordinator-service partition-service gateway-service admin-ui; do \
        java -Djarmode=tools -jar "$module/target/$module-"*.jar extract --layers --launcher \
            --destination "/layers/$module"; \
    done \
 && javac --release 21 -d /probe deploy/docker/HealthProbe.java

FROM eclipse-temurin:${JAVA_VERSION}-jre AS runtime
ARG JAVA_VERSION
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.vendor="Sluice" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="eclipse-temurin:${JAVA_VERSION}-jre"
RUN groupadd --system --gid 10001 sluice \
 && useradd --system --uid 10001 --gid sluice --home-dir /opt/sluice --no-create-home --shell /usr/sbin/nologin sluice \
 && mkdir -p /opt/sluice/app /var/lib/sluice/data \
 && chown -R 10001:10001 /var/lib/sluice
COPY --from=build /probe/ /opt/sluice/probe/
WORKDIR /opt/sluice/app
# Listen on every interface of the container; the management endpoints (health, Prometheus) on their own port.
# Netty and the compression codecs unpack native libraries into /tmp, which must therefore be writable.
ENV SERVER_ADDRESS=0.0.0.0 \
    MANAGEMENT_SERVER_ADDRESS=0.0.0.0 \
    MANAGEMENT_SERVER_PORT=8081 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001:10001
# Native access for the classpath: the jar's manifest grants it under java -jar; the extracted layout needs the flag.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "org.springframework.boot.loader.launch.JarLauncher"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", "/opt/sluice/probe", "HealthProbe"]

FROM runtime AS coordinator-service
LABEL org.opencontainers.image.title="sluice-coordinator-service" \
      org.opencontainers.image.description="Sluice coordinator: cluster metadata in Redis, elections, consumer groups"
COPY --from=build /layers/coordinator-service/dependencies/ ./
COPY --from=build /layers/coordinator-service/spring-boot-loader/ ./
COPY --from=build /layers/coordinator-service/snapshot-dependencies/ ./
COPY --from=build /layers/coordinator-service/application/ ./
ENV SERVER_PORT=9400
EXPOSE 9400 8081

FROM runtime AS partition-service
LABEL org.opencontainers.image.title="sluice-partition-service" \
      org.opencontainers.image.description="Sluice partition service: replicated partition logs on local disk"
COPY --from=build /layers/partition-service/dependencies/ ./
COPY --from=build /layers/partition-service/spring-boot-loader/ ./
COPY --from=build /layers/partition-service/snapshot-dependencies/ ./
COPY --from=build /layers/partition-service/application/ ./
ENV SERVER_PORT=9501 \
    SLUICE_PARTITION_DATADIR=/var/lib/sluice/data \
    MANAGEMENT_METRICS_SYSTEM_DISKSPACE_PATHS=/var/lib/sluice/data
VOLUME ["/var/lib/sluice/data"]
EXPOSE 9501 8081

FROM runtime AS gateway-service
LABEL org.opencontainers.image.title="sluice-gateway-service" \
      org.opencontainers.image.description="Sluice gateway: the public REST and SSE API"
COPY --from=build /layers/gateway-service/dependencies/ ./
COPY --from=build /layers/gateway-service/spring-boot-loader/ ./
COPY --from=build /layers/gateway-service/snapshot-dependencies/ ./
COPY --from=build /layers/gateway-service/application/ ./
ENV SERVER_PORT=8080
EXPOSE 8080 8081

FROM runtime AS admin-ui
LABEL org.opencontainers.image.title="sluice-admin-ui" \
      org.opencontainers.image.description="Sluice web console, on the gateway's public API"
COPY --from=build /layers/admin-ui/dependencies/ ./
COPY --from=build /layers/admin-ui/spring-boot-loader/ ./
COPY --from=build /layers/admin-ui/snapshot-dependencies/ ./
COPY --from=build /layers/admin-ui/application/ ./
ENV SERVER_PORT=8088
EXPOSE 8088 8081

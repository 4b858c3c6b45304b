package io.sluice.adminui.access;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.Acl;
import io.sluice.adminui.gateway.GatewayViews.QuotaAlteration;
import io.sluice.adminui.gateway.GatewayViews.QuotaEntityPart;
import io.sluice.adminui.gateway.GatewayViews.QuotaEntityView;
import io.sluice.adminui.gateway.GatewayViews.Quotas;
import io.sluice.adminui.gateway.GatewayViews.ScramPassword;
import io.sluice.adminui.gateway.GatewayViews.SetQuota;
import io.sluice.adminui.gateway.GatewayViews.Users;
import io.sluice.adminui.web.Notices;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

/**
 * Access control: the ACLs, filtered by principal and resource, created and deleted one by one; the users who sign in
 * with a password (the users file, read-only: the gateways' setting) and the cluster's SCRAM users, whose credentials
 * are set from a password and deleted here; the super users; the quotas, those set at run time set and removed here
 * (as {@code kafka-configs --entity-type users|clients} sets them). Each part the gateway does not answer
 * (security off, a user without the right) says why in its place without hiding the others.
 */
@Controller
class AccessController {

    static final List<String> RESOURCE_TYPES = List.of("TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID");
    static final List<String> PATTERN_TYPES = List.of("LITERAL", "PREFIXED");
    static final List<String> OPERATIONS = List.of("ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE",
            "DESCRIBE_CONFIGS", "ALTER_CONFIGS");
    static final List<String> PERMISSIONS = List.of("ALLOW", "DENY");
    static final List<String> SCRAM_MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256");
    static final List<String> QUOTA_KEYS = List.of("producer_byte_rate", "consumer_byte_rate", "request_rate");

    private final GatewayClient gateway;

    AccessController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    /** Which ACLs the page lists: a principal and a resource, each optional. */
    record AclQuery(String principal, String resourceType, String resourceName) {

        Acl filter() {
            return new Acl(blankToNull(principal), blankToNull(resourceType), blankToNull(resourceName), null, null,
                    null);
        }
    }

    /** An ACL typed into the create form or posted by a row's delete button. */
    record AclForm(String principal, String resourceType, String resourceName, String patternType, String operation,
                   String permission) {

        static AclForm empty() {
            return new AclForm("", "TOPIC", "", "LITERAL", "READ", "ALLOW");
        }

        Acl acl() {
            return new Acl(strip(principal), strip(resourceType), strip(resourceName), strip(patternType),
                    strip(operation), strip(permission));
        }

        String words() {
            Acl acl = acl();
            return acl.permission() + " " + acl.principal() + " " + acl.operation() + " on " + acl.resourceType() + " "
                    + acl.resourceName() + (acl.patternType().equals("PREFIXED") ? "*" : "");
        }
    }

    /**
     * A SCRAM credential typed into its form (the password is sent to the gateway, which salts and hashes it, and is
     * never shown again), or named by a row's delete button (user and mechanism only).
     */
    record ScramForm(String user, String mechanism, String password, Integer iterations) {

        static ScramForm empty() {
            return new ScramForm("", SCRAM_MECHANISMS.getFirst(), null, 4096);
        }

        /** What the page shows again after a refusal: everything but the password. */
        ScramForm withoutPassword() {
            return new ScramForm(user, mechanism, null, iterations);
        }

        String name() {
            String name = strip(user);
            return name != null && name.startsWith("User:") ? name.substring("User:".length()) : name;
        }
    }

    /**
     * A client quota typed into its form, or named by a row's remove button (its entity only): a user, a client id or
     * both, each a name or (ticked) the default; the rates per second, blank for those left as they are.
     */
    record QuotaForm(String user, Boolean defaultUser, String clientId, Boolean defaultClientId,
                     Double producerByteRate, Double consumerByteRate, Double requestRate) {

        static QuotaForm empty() {
            return new QuotaForm("", false, "", false, null, null, null);
        }

        /** The entity, or why the form names none (a name and its default both, or neither part). */
        QuotaEntityView entity() {
            QuotaEntityView entity = new QuotaEntityView(part("user", user, defaultUser),
                    part("client id", clientId, defaultClientId));
            if (entity.user() == null && entity.clientId() == null) {
                throw new IllegalArgumentException("Name a user, a client id or both (or tick their default)");
            }
            return entity;
        }

        /** The rates typed, by Kafka's keys. */
        Map<String, Double> rates() {
            Map<String, Double> rates = new LinkedHashMap<>();
            List<Double> typed = Arrays.asList(producerByteRate, consumerByteRate, requestRate);
            for (int i = 0; i < QUOTA_KEYS.size(); i++) {
                if (typed.get(i) != null) {
                    rates.put(QUOTA_KEYS.get(i), typed.get(i));
                }
            }
            return rates;
        }

        private static QuotaEntityPart part(String what, String name, Boolean isDefault) {
            String named = strip(name);
            if (named != null && named.startsWith("User:")) {
                named = named.substring("User:".length());
            }
            boolean hasName = named != null && !named.isEmpty();
            if (Boolean.TRUE.equals(isDefault)) {
                if (hasName) {
                    throw new IllegalArgumentException("Name the " + what + " or tick its default, not both");
                }
                return new QuotaEntityPart(null);
            }
            return hasName ? new QuotaEntityPart(named) : null;
        }
    }

    @GetMapping("/access")
    Mono<String> page(@ModelAttribute("query") AclQuery query, Model model) {
        return page(query, AclForm.empty(), null, model);
    }

    @PostMapping("/access/scram")
    Mono<String> setScram(@ModelAttribute ScramForm form, Model model, ServerHttpResponse response) {
        return gateway.putScramCredential(form.name(), form.mechanism(),
                        new ScramPassword(form.password(), form.iterations()))
                .thenReturn(Notices.redirect("/access", "Set: " + form.mechanism() + " credential of User:"
                        + form.name()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("scramForm", form.withoutPassword());
                    model.addAttribute("scramError", message(e));
                    return page(new AclQuery(null, null, null), AclForm.empty(), null, model);
                });
    }

    @PostMapping("/access/scram/delete")
    Mono<String> deleteScram(@ModelAttribute ScramForm form, Model model, ServerHttpResponse response) {
        return gateway.deleteScramCredential(form.name(), form.mechanism())
                .thenReturn(Notices.redirect("/access", "Deleted: " + form.mechanism() + " credential of User:"
                        + form.name()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("deleteError", message(e));
                    return page(new AclQuery(null, null, null), AclForm.empty(), null, model);
                });
    }

    @PostMapping("/access/quotas")
    Mono<String> setQuota(@ModelAttribute QuotaForm form, Model model, ServerHttpResponse response) {
        return Mono.fromCallable(() -> {
                    Map<String, Double> rates = form.rates();
                    if (rates.isEmpty()) {
                        throw new IllegalArgumentException("Give a rate: bytes produced or fetched, or requests, per "
                                + "second");
                    }
                    return new QuotaAlteration(form.entity(), rates, List.of());
                })
                .flatMap(alteration -> gateway.alterQuotas(List.of(alteration))
                        .thenReturn(Notices.redirect("/access", "Set: " + new SetQuota(alteration.entity(),
                                alteration.set()).described() + " for " + alteration.entity().described())))
                .onErrorResume(e -> e instanceof GatewayProblem || e instanceof IllegalArgumentException, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("quotaForm", form);
                    model.addAttribute("quotaError", e instanceof GatewayProblem problem ? message(problem)
                            : e.getMessage());
                    return page(new AclQuery(null, null, null), AclForm.empty(), null, model);
                });
    }

    /** Removes every rate set at run time for the entity a row names. */
    @PostMapping("/access/quotas/remove")
    Mono<String> removeQuota(@ModelAttribute QuotaForm form, Model model, ServerHttpResponse response) {
        return Mono.fromCallable(form::entity)
                .flatMap(entity -> gateway.alterQuotas(List.of(new QuotaAlteration(entity, Map.of(), QUOTA_KEYS)))
                        .thenReturn(Notices.redirect("/access", "Removed: the quotas of " + entity.described())))
                .onErrorResume(e -> e instanceof GatewayProblem || e instanceof IllegalArgumentException, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("deleteError", e instanceof GatewayProblem problem ? message(problem)
                            : e.getMessage());
                    return page(new AclQuery(null, null, null), AclForm.empty(), null, model);
                });
    }

    @PostMapping("/access/acls")
    Mono<String> create(@ModelAttribute AclForm form, Model model, ServerHttpResponse response) {
        return gateway.createAcl(form.acl())
                .thenReturn(Notices.redirect("/access", "Created: " + form.words()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    return page(new AclQuery(null, null, null), form, message(e), model);
                });
    }

    /** Deletes the one ACL a row shows (all six fields posted). */
    @PostMapping("/access/acls/delete")
    Mono<String> delete(@ModelAttribute AclForm form, Model model, ServerHttpResponse response) {
        return gateway.deleteAcl(form.acl())
                .map(deleted -> Notices.redirect("/access", deleted.acls().isEmpty()
                        ? "Nothing deleted: no such ACL" : "Deleted: " + form.words()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("deleteError", message(e));
                    return page(new AclQuery(null, null, null), AclForm.empty(), null, model);
                });
    }

    private Mono<String> page(AclQuery query, AclForm form, String createError, Model model) {
        model.addAttribute("query", query);
        model.addAttribute("form", form);
        model.addAttribute("createError", createError);
        model.addAttribute("resourceTypes", RESOURCE_TYPES);
        model.addAttribute("patternTypes", PATTERN_TYPES);
        model.addAttribute("operations", OPERATIONS);
        model.addAttribute("permissions", PERMISSIONS);
        model.addAttribute("scramMechanisms", SCRAM_MECHANISMS);
        if (!model.containsAttribute("scramForm")) {
            model.addAttribute("scramForm", ScramForm.empty());
        }
        if (!model.containsAttribute("quotaForm")) {
            model.addAttribute("quotaForm", QuotaForm.empty());
        }
        Mono<Part<List<Acl>>> acls = part(gateway.acls(query.filter()).map(list -> list.acls()));
        Mono<Part<Users>> users = part(gateway.users());
        Mono<Part<Quotas>> quotas = part(gateway.quotas());
        return Mono.zip(acls, users, quotas).map(parts -> {
            model.addAttribute("acls", parts.getT1());
            model.addAttribute("users", parts.getT2());
            model.addAttribute("quotas", parts.getT3());
            return "access";
        });
    }

    /** One part of the page: what the gateway answered, or why it did not. */
    record Part<T>(T value, String problem) {
    }

    private static <T> Mono<Part<T>> part(Mono<T> call) {
        return call.map(value -> new Part<>(value, null))
                .onErrorResume(GatewayProblem.class, e -> Mono.just(new Part<>(null, message(e))));
    }

    private static String message(GatewayProblem problem) {
        return problem.detail() + " (" + problem.errorCode() + ")";
    }

    private static String strip(String text) {
        return text == null ? null : text.strip();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}

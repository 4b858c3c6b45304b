package io.sluice.adminui.schemas;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayRequests.NewSchema;
import io.sluice.adminui.gateway.GatewayViews.CompatibilityLevel;
import io.sluice.adminui.gateway.GatewayViews.SchemaId;
import io.sluice.adminui.gateway.GatewayViews.SchemaVersion;
import io.sluice.adminui.web.Notices;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The schema registry (Confluent's API on the gateway, docs/schemas.md): the subjects with their latest versions and
 * the registry's level; a subject's versions, one shown, two side by side, its compatibility level, and a candidate
 * schema checked against it and registered; a schema by id, as the message browser links to it. Forms that worked
 * redirect with a notice; a refusal shows the registry's message and code next to the form, keeping what was typed.
 */
@Controller
class SchemasController {

    /** Confluent's seven levels, as the registry names them. */
    static final List<String> LEVELS = List.of("BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
            "FULL", "FULL_TRANSITIVE", "NONE");
    static final List<String> TYPES = List.of("AVRO", "PROTOBUF", "JSON");

    private final GatewayClient gateway;

    SchemasController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    /** A schema typed into a form: the subject (on the list page), its type and text. */
    record SchemaForm(String subject, String type, String schema, String action) {

        static SchemaForm empty() {
            return new SchemaForm("", "AVRO", "", null);
        }

        NewSchema request() {
            return new NewSchema(schema == null ? "" : schema, type == null || type.isBlank() ? "AVRO" : type);
        }

        boolean registers() {
            return "register".equals(action);
        }
    }

    record LevelForm(String level, String remove) {
    }

    @GetMapping("/schemas")
    Mono<String> list(@RequestParam(required = false) String prefix, Model model) {
        return listPage(prefix, SchemaForm.empty(), null, model);
    }

    @PostMapping("/schemas")
    Mono<String> register(@ModelAttribute SchemaForm form, Model model, ServerHttpResponse response) {
        String subject = form.subject() == null ? "" : form.subject().strip();
        return gateway.register(subject, form.request())
                .map(id -> registered(subject, id))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    return listPage(null, form, message(e), model);
                });
    }

    @PostMapping("/schemas/config")
    Mono<String> registryLevel(@ModelAttribute LevelForm form, Model model, ServerHttpResponse response) {
        return gateway.setLevel(null, form.level())
                .thenReturn(Notices.redirect("/schemas", "The registry's compatibility level is " + form.level()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("levelError", message(e));
                    return listPage(null, SchemaForm.empty(), null, model);
                });
    }

    @GetMapping("/schemas/subjects/{subject}")
    Mono<String> subject(@PathVariable String subject, @RequestParam(required = false) Integer version,
                         @RequestParam(required = false) Integer from, @RequestParam(required = false) Integer to,
                         Model model) {
        return subjectPage(subject, new Shown(version, from, to), SchemaForm.empty(), model);
    }

    /** Sets the subject's own level, or removes it ({@code remove}) so that it takes the registry's. */
    @PostMapping("/schemas/subjects/{subject}/config")
    Mono<String> subjectLevel(@PathVariable String subject, @ModelAttribute LevelForm form, Model model,
                              ServerHttpResponse response) {
        boolean remove = form.remove() != null;
        Mono<Void> change = remove ? gateway.removeLevel(subject) : gateway.setLevel(subject, form.level());
        return change.thenReturn(Notices.redirect(subjectPath(subject), remove
                        ? subject + " takes the registry's compatibility level"
                        : subject + "'s compatibility level is " + form.level()))
                .onErrorResume(GatewayProblem.class, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    model.addAttribute("levelError", message(e));
                    return subjectPage(subject, Shown.LATEST, SchemaForm.empty(), model);
                });
    }

    /**
     * Checks a candidate against the subject's versions at its level and shows the answer; with {@code
     * action=register}, registers it instead (the registry checks it again and refuses it with 409 when it breaks the
     * level).
     */
    @PostMapping("/schemas/subjects/{subject}/candidate")
    Mono<String> candidate(@PathVariable String subject, @ModelAttribute SchemaForm form, Model model,
                           ServerHttpResponse response) {
        if (form.registers()) {
            return gateway.register(subject, form.request())
                    .map(id -> registered(subject, id))
                    .onErrorResume(GatewayProblem.class, e -> refusedCandidate(subject, form, e, model, response));
        }
        return gateway.checkCompatibility(subject, form.request())
                .flatMap(answer -> {
                    model.addAttribute("check", answer);
                    return subjectPage(subject, Shown.LATEST, form, model);
                })
                .onErrorResume(GatewayProblem.class, e -> refusedCandidate(subject, form, e, model, response));
    }

    @GetMapping("/schemas/ids/{id}")
    Mono<String> byId(@PathVariable int id, Model model) {
        return Mono.zip(gateway.schema(id), gateway.schemaVersions(id)).map(found -> {
            model.addAttribute("id", id);
            model.addAttribute("type", found.getT1().type());
            model.addAttribute("text", SchemaText.readable(found.getT1().type(), found.getT1().schema()));
            model.addAttribute("holders", found.getT2());
            return "schema";
        });
    }

    /** Which versions the subject page shows: one in full (default the latest), two side by side. */
    record Shown(Integer version, Integer from, Integer to) {

        static final Shown LATEST = new Shown(null, null, null);
    }

    private Mono<String> refusedCandidate(String subject, SchemaForm form, GatewayProblem e, Model model,
                                          ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("candidateError", message(e));
        return subjectPage(subject, Shown.LATEST, form, model);
    }

    private Mono<String> listPage(String prefix, SchemaForm form, String registerError, Model model) {
        model.addAttribute("prefix", prefix == null ? "" : prefix);
        model.addAttribute("form", form);
        model.addAttribute("registerError", registerError);
        model.addAttribute("levels", LEVELS);
        model.addAttribute("types", TYPES);
        return Mono.zip(gateway.latestSchemas(prefix), gateway.registryLevel(), gateway.registryMode())
                .map(found -> {
                    model.addAttribute("subjects", found.getT1());
                    model.addAttribute("registryLevel", found.getT2().level());
                    model.addAttribute("mode", found.getT3().mode());
                    return "schemas";
                });
    }

    private Mono<String> subjectPage(String subject, Shown shown, SchemaForm form, Model model) {
        model.addAttribute("subject", subject);
        model.addAttribute("form", form);
        model.addAttribute("levels", LEVELS);
        model.addAttribute("types", TYPES);
        Mono<List<SchemaVersion>> versions = gateway.subjectVersions(subject)
                .flatMapMany(Flux::fromIterable)
                .concatMap(version -> gateway.schemaVersion(subject, Integer.toString(version)))
                .collectList();
        Mono<Optional<String>> own = gateway.subjectLevel(subject).map(CompatibilityLevel::level).map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        return Mono.zip(versions, own, gateway.registryLevel()).map(found -> {
            List<SchemaVersion> all = found.getT1();
            model.addAttribute("versions", all);
            model.addAttribute("ownLevel", found.getT2().orElse(null));
            model.addAttribute("level", found.getT2().orElse(found.getT3().level()));
            SchemaVersion latest = all.getLast();
            SchemaVersion showing = find(all, shown.version(), latest);
            model.addAttribute("shown", showing);
            model.addAttribute("text", SchemaText.readable(showing.type(), showing.schema()));
            if (all.size() > 1) {
                SchemaVersion before = find(all, shown.from(), all.get(all.size() - 2));
                SchemaVersion after = find(all, shown.to(), latest);
                model.addAttribute("from", before);
                model.addAttribute("to", after);
                model.addAttribute("diff", SchemaText.sideBySide(SchemaText.readable(before.type(), before.schema()),
                        SchemaText.readable(after.type(), after.schema())));
            }
            return "subject";
        });
    }

    /** The version numbered {@code number} among {@code versions}; {@code otherwise} when not given or not there. */
    private static SchemaVersion find(List<SchemaVersion> versions, Integer number, SchemaVersion otherwise) {
        return number == null ? otherwise
                : versions.stream().filter(v -> v.version() == number).findFirst().orElse(otherwise);
    }

    private static String registered(String subject, SchemaId id) {
        return Notices.redirect(subjectPath(subject), "Schema " + id.id() + " is registered under " + subject);
    }

    private static String subjectPath(String subject) {
        return "/schemas/subjects/" + UriUtils.encodePathSegment(subject, StandardCharsets.UTF_8);
    }

    private static String message(GatewayProblem problem) {
        return problem.detail() + " (" + problem.errorCode() + ")";
    }
}

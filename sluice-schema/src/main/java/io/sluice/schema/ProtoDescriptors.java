package io.sluice.schema;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumOptions;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import com.squareup.wire.Syntax;
import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.OptionElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds protobuf-java descriptors from .proto files parsed by wire, as Confluent's registry does, so that payloads
 * can be decoded as {@code DynamicMessage}s and schemas compared with every type name resolved.
 *
 * <p>What a descriptor gets: package, syntax, imports (plain, public, weak), messages with nested messages and enums,
 * fields with their labels, numbers, scalar or named types (names resolved by protobuf-java with the scoping rules of
 * protoc), proto2 defaults, {@code json_name}, {@code packed}, proto3 {@code optional} (as synthetic oneofs), oneofs,
 * {@code map<K, V>} fields (as protoc's nested {@code XxxEntry} types), enums with {@code allow_alias}. What it does
 * not get, because decoding does not need it: other options, custom options, services, extension declarations and
 * reserved ranges (the canonical text keeps them all). Proto2 groups are refused.
 *
 * <p>Imports resolve to the references built before (by their import path) or to protobuf-java's well-known types
 * ({@code google/protobuf/timestamp.proto} and the others).
 */
final class ProtoDescriptors {

    static final Map<String, FileDescriptor> WELL_KNOWN = Stream.of(AnyProto.getDescriptor(),
                    ApiProto.getDescriptor(), DescriptorProtos.getDescriptor(), DurationProto.getDescriptor(),
                    EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(), SourceContextProto.getDescriptor(),
                    StructProto.getDescriptor(), TimestampProto.getDescriptor(), TypeProto.getDescriptor(),
                    WrappersProto.getDescriptor())
            .collect(Collectors.toUnmodifiableMap(FileDescriptor::getName, Function.identity()));

    private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.ofEntries(
            Map.entry("double", FieldDescriptorProto.Type.TYPE_DOUBLE),
            Map.entry("float", FieldDescriptorProto.Type.TYPE_FLOAT),
            Map.entry("int64", FieldDescriptorProto.Type.TYPE_INT64),
            Map.entry("uint64", FieldDescriptorProto.Type.TYPE_UINT64),
            Map.entry("int32", FieldDescriptorProto.Type.TYPE_INT32),
            Map.entry("fixed64", FieldDescriptorProto.Type.TYPE_FIXED64),
            Map.entry("fixed32", FieldDescriptorProto.Type.TYPE_FIXED32),
            Map.entry("bool", FieldDescriptorProto.Type.TYPE_BOOL),
            Map.entry("string", FieldDescriptorProto.Type.TYPE_STRING),
            Map.entry("bytes", FieldDescriptorProto.Type.TYPE_BYTES),
            Map.entry("uint32", FieldDescriptorProto.Type.TYPE_UINT32),
            Map.entry("sfixed32", FieldDescriptorProto.Type.TYPE_SFIXED32),
            Map.entry("sfixed64", FieldDescriptorProto.Type.TYPE_SFIXED64),
            Map.entry("sint32", FieldDescriptorProto.Type.TYPE_SINT32),
            Map.entry("sint64", FieldDescriptorProto.Type.TYPE_SINT64));

    private ProtoDescriptors() {
    }

    /**
     * The descriptor of {@code file}, named {@code name}, whose imports are among {@code imports} (by import path) or
     * the well-known types.
     */
    static FileDescriptor build(String name, ProtoFileElement file, Map<String, FileDescriptor> imports) {
        FileDescriptorProto proto = toProto(name, file);
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String path : proto.getDependencyList()) {
            FileDescriptor dependency = imports.containsKey(path) ? imports.get(path) : WELL_KNOWN.get(path);
            if (dependency == null) {
                throw new InvalidSchemaException("Import \"" + path + "\" is neither one of the schema's references "
                        + "nor a well-known type (google/protobuf/...)");
            }
            dependencies.add(dependency);
        }
        try {
            return FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
        } catch (DescriptorValidationException e) {
            throw new InvalidSchemaException("Invalid Protobuf schema: " + e.getMessage(), e);
        }
    }

    private static FileDescriptorProto toProto(String name, ProtoFileElement file) {
        FileDescriptorProto.Builder proto = FileDescriptorProto.newBuilder().setName(name);
        if (file.getPackageName() != null) {
            proto.setPackage(file.getPackageName());
        }
        boolean proto3 = file.getSyntax() == Syntax.PROTO_3;
        proto.setSyntax(proto3 ? "proto3" : "proto2");
        for (String path : file.getImports()) {
            proto.addDependency(path);
        }
        for (String path : file.getPublicImports()) {
            proto.addPublicDependency(proto.getDependencyCount());
            proto.addDependency(path);
        }
        for (String path : file.getWeakImports()) {
            proto.addWeakDependency(proto.getDependencyCount());
            proto.addDependency(path);
        }
        for (TypeElement type : file.getTypes()) {
            if (type instanceof MessageElement message) {
                proto.addMessageType(message(message, proto3));
            } else if (type instanceof EnumElement enumType) {
                proto.addEnumType(enumType(enumType, proto3));
            }
        }
        return proto.build();
    }

    private static DescriptorProto message(MessageElement message, boolean proto3) {
        if (!message.getGroups().isEmpty()
                || message.getOneOfs().stream().anyMatch(oneOf -> !oneOf.getGroups().isEmpty())) {
            throw new InvalidSchemaException("Message " + message.getName() + " has a group: proto2 groups are not "
                    + "supported");
        }
        DescriptorProto.Builder proto = DescriptorProto.newBuilder().setName(message.getName());
        for (TypeElement nested : message.getNestedTypes()) {
            if (nested instanceof MessageElement nestedMessage) {
                proto.addNestedType(message(nestedMessage, proto3));
            } else if (nested instanceof EnumElement nestedEnum) {
                proto.addEnumType(enumType(nestedEnum, proto3));
            }
        }
        List<FieldElement> proto3Optionals = new ArrayList<>();
        for (FieldElement field : message.getFields()) {
            proto.addField(field(field, proto, proto3));
            if (proto3 && field.getLabel() == Field.Label.OPTIONAL) {
                proto3Optionals.add(field);
            }
        }
        for (OneOfElement oneOf : message.getOneOfs()) {
            int index = proto.getOneofDeclCount();
            proto.addOneofDecl(OneofDescriptorProto.newBuilder().setName(oneOf.getName()));
            for (FieldElement field : oneOf.getFields()) {
                proto.addField(field(field, proto, proto3).toBuilder().setOneofIndex(index));
            }
        }
        // protoc puts each proto3 optional field in a oneof of its own, named after it, after the declared oneofs.
        for (FieldElement optional : proto3Optionals) {
            int index = proto.getOneofDeclCount();
            proto.addOneofDecl(OneofDescriptorProto.newBuilder().setName(syntheticOneofName(optional, proto)));
            for (int i = 0; i < proto.getFieldCount(); i++) {
                if (proto.getField(i).getNumber() == optional.getTag() && !proto.getField(i).hasOneofIndex()) {
                    proto.setField(i, proto.getField(i).toBuilder().setProto3Optional(true).setOneofIndex(index));
                }
            }
        }
        return proto.build();
    }

    private static String syntheticOneofName(FieldElement field, DescriptorProto.Builder message) {
        String name = "_" + field.getName();
        while (hasOneof(message, name)) {
            name = "X" + name;
        }
        return name;
    }

    private static boolean hasOneof(DescriptorProto.Builder message, String name) {
        return message.getOneofDeclList().stream().anyMatch(oneOf -> oneOf.getName().equals(name));
    }

    private static FieldDescriptorProto field(FieldElement field, DescriptorProto.Builder message, boolean proto3) {
        FieldDescriptorProto.Builder proto = FieldDescriptorProto.newBuilder()
                .setName(field.getName())
                .setNumber(field.getTag())
                .setLabel(label(field.getLabel()));
        ProtoType type = ProtoType.get(field.getType());
        if (type.isMap()) {
            String entryName = mapEntryName(field.getName());
            message.addNestedType(DescriptorProto.newBuilder()
                    .setName(entryName)
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("key").setNumber(1)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), type.getKeyType().toString()))
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), type.getValueType().toString()))
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true)));
            proto.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setTypeName(entryName);
        } else {
            typed(proto, field.getType());
        }
        if (field.getDefaultValue() != null) {
            proto.setDefaultValue(field.getDefaultValue());
        }
        if (field.getJsonName() != null) {
            proto.setJsonName(field.getJsonName());
        }
        for (OptionElement option : field.getOptions()) {
            if (option.getName().equals("packed") && !option.isParenthesized()) {
                boolean packed = Boolean.parseBoolean(option.getValue().toString());
                proto.setOptions(FieldOptions.newBuilder().setPacked(packed));
            }
        }
        return proto.build();
    }

    /** A scalar gets its type; a named type gets the name as written, which protobuf-java resolves in scope. */
    private static FieldDescriptorProto.Builder typed(FieldDescriptorProto.Builder field, String type) {
        FieldDescriptorProto.Type scalar = SCALARS.get(type);
        return scalar != null ? field.setType(scalar) : field.setTypeName(type);
    }

    private static FieldDescriptorProto.Label label(Field.Label label) {
        if (label == null) {
            return FieldDescriptorProto.Label.LABEL_OPTIONAL;
        }
        return switch (label) {
            case REQUIRED -> FieldDescriptorProto.Label.LABEL_REQUIRED;
            case REPEATED -> FieldDescriptorProto.Label.LABEL_REPEATED;
            case OPTIONAL, ONE_OF -> FieldDescriptorProto.Label.LABEL_OPTIONAL;
        };
    }

    /** protoc's name for a map field's entry type: the field name in CamelCase, then "Entry". */
    static String mapEntryName(String fieldName) {
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : fieldName.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else if (upper) {
                name.append(Character.toUpperCase(c));
                upper = false;
            } else {
                name.append(c);
            }
        }
        return name.append("Entry").toString();
    }

    private static EnumDescriptorProto enumType(EnumElement element, boolean proto3) {
        // protoc's rule, which protobuf-java does not check: a proto3 enum's default is its first value, and must be 0.
        if (proto3 && (element.getConstants().isEmpty() || element.getConstants().getFirst().getTag() != 0)) {
            throw new InvalidSchemaException("Enum " + element.getName() + ": the first value of a proto3 enum must "
                    + "be 0");
        }
        EnumDescriptorProto.Builder proto = EnumDescriptorProto.newBuilder().setName(element.getName());
        for (EnumConstantElement constant : element.getConstants()) {
            proto.addValue(EnumValueDescriptorProto.newBuilder().setName(constant.getName())
                    .setNumber(constant.getTag()));
        }
        for (OptionElement option : element.getOptions()) {
            if (option.getName().equals("allow_alias")) {
                proto.setOptions(EnumOptions.newBuilder()
                        .setAllowAlias(Boolean.parseBoolean(option.getValue().toString())));
            }
        }
        return proto.build();
    }
}

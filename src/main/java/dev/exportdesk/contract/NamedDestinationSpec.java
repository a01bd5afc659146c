package dev.exportdesk.contract;

/**
 * A destination an administrator defined under {@code name} ({@code "destination": "acme-sftp"}).
 * Only a parsed contract carries it: the engine replaces it with the named definition as it loads a
 * contract version, so transfers never see this type and every run uses the definition current then.
 */
public record NamedDestinationSpec(String name) implements DestinationSpec {
    @Override
    public String type() {
        return "named";
    }

    @Override
    public String describe() {
        return "destination " + name;
    }
}

// expect: hash-function name=hashCode form=hashCode-override risks=constant-hash,hashcode-without-equals
public class BadKey {
    private final String id;

    public BadKey(String id) { this.id = id; }

    @Override
    public int hashCode() {
        return 42;
    }
}

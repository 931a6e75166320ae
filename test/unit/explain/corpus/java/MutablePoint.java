// expect: hash-function name=hashCode known="polynomial-31" form=hashCode-override multiplier=31 risks=mutable-hash-fields,weak-polynomial
public class MutablePoint {
    private int x;
    private int y;

    public MutablePoint(int x, int y) { this.x = x; this.y = y; }

    public void moveTo(int nx, int ny) {
        this.x = nx;
        this.y = ny;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MutablePoint p && p.x == x && p.y == y;
    }

    @Override
    public int hashCode() {
        int result = 17;
        result = 31 * result + this.x;
        result = 31 * result + this.y;
        return result;
    }
}

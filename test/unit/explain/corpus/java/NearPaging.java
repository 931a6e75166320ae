// expect: none
public class Pager {
    public static int pageIndex(int offset, int pageSize, int pages) {
        return (offset / pageSize) % pages;
    }

    public static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek().getValue() % 7 == 0 || d.getDayOfWeek().getValue() == 6;
    }
}

// expect: none
public class Thumbnails {
    private final ExecutorService cpu = Executors.newFixedThreadPool(4);

    public List<Future<BufferedImage>> resizeAll(List<Path> files) {
        List<Future<BufferedImage>> out = new ArrayList<>();
        for (Path f : files) out.add(cpu.submit(() -> resize(ImageIO.read(f.toFile()), 256)));
        return out;
    }
}

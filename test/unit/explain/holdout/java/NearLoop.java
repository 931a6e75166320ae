// expect: none
for (int i = 0; i < rows.size(); i++) {
    if (i % batchSize == 0) flush();
    writer.write(rows.get(i));
}

export function DataArea() {
  return (
    <section aria-labelledby="data-title" className="area">
      <h2 id="data-title">Data</h2>
      <p className="empty">
        Not built yet. Here you will drop a CSV of labeled jokes. The audit will list duplicates and near
        duplicates, conflicting or noisy labels, toxic or biased rows, mixed languages, outliers and low
        diversity. Each fix will create a new dataset version; the original upload is never changed.
      </p>
    </section>
  );
}

export function GenerateArea() {
  return (
    <section aria-labelledby="generate-title" className="area">
      <h2 id="generate-title">Generate</h2>
      <p className="empty">
        Not built yet. Here you will type a prompt, such as “a joke about cats” or “讲一个关于程序员的笑话”,
        and jokes will stream in token by token from a language model running in this tab: the bundled
        punchline-tiny model, or a model you import. Past generations will be kept in your browser’s storage.
      </p>
    </section>
  );
}

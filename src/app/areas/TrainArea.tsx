import { AdaptersSection } from './adapters/AdaptersSection.tsx';

export function TrainArea() {
  return (
    <section aria-labelledby="train-title" className="area">
      <h2 id="train-title">Train &amp; Adapters</h2>
      <p className="empty">
        Not built yet. Here you will fine-tune a LoRA adapter on a cleaned dataset while watching the loss
        fall, compare jokes before and after, and export or import adapters in the Hugging Face PEFT format.
      </p>
      <AdaptersSection />
    </section>
  );
}

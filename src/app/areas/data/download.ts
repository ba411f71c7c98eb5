import type { ExportedFile } from '../../../worker/data/requests.ts';

/** Hands a file the worker produced to the browser's download, through a short-lived object URL. */
export function saveFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

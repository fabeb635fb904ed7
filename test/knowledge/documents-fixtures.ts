import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/** A small real PDF (pdf-lib, Helvetica) with one line of text per entry, page by page. */
export async function pdfFixture(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([600, 800]);
    lines.forEach((line, i) => page.drawText(line, { x: 40, y: 760 - i * 18, size: 11, font }));
  }
  return pdf.save({ useObjectStreams: false });
}

/**
 * A PDF whose trailer names a standard security handler with a user password: pdf.js cannot open
 * it with the empty password (the U entry does not match), as with a real password-protected file.
 */
export async function encryptedPdfFixture(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]);
  const context = pdf.context;
  const id = PDFHexString.of('0123456789abcdef0123456789abcdef');
  context.trailerInfo.ID = context.obj([id, id]);
  context.trailerInfo.Encrypt = context.register(
    context.obj({
      Filter: PDFName.of('Standard'),
      V: 1,
      R: 2,
      Length: 40,
      P: -44,
      O: PDFHexString.of('11'.repeat(32)),
      U: PDFHexString.of('22'.repeat(32)),
    }),
  );
  return pdf.save({ useObjectStreams: false });
}

/** A real DOCX (docx package): Word heading styles, which mammoth turns into h1/h2. */
export async function docxFixture(blocks: { heading?: 1 | 2; text: string }[]): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: blocks.map((b) =>
          b.heading
            ? new Paragraph({
                text: b.text,
                heading: b.heading === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
              })
            : new Paragraph({ text: b.text }),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

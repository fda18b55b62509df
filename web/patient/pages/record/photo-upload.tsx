import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { RecordDocumentView, UploadOptions } from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { recordApi } from './record-nav.tsx';
import { UploadDescriptionFields } from './upload-fields.tsx';
import { cropFromDrag, cropRect, exportSize, noCrop, withMargin, type Crop } from './photo-crop.ts';

/**
 * Several photos of a paper document (one per page, from the phone's camera or gallery), each cropped here on a
 * canvas, sent together: the server makes them one PDF, a page per photo (src/record/photo-pdf.ts).
 */

/** As many as the server takes (PHOTOS_MAX, src/record/photo-pdf.ts). */
const PHOTOS_MAX = 20;
const PREVIEW_WIDTH = 320;

interface Photo {
  readonly key: string;
  readonly name: string;
  readonly image: ImageBitmap;
  readonly crop: Crop;
}

/**
 * Decoded without an object URL: the app's content security policy allows no `blob:` image, and a bitmap is what
 * the canvas draws anyway.
 */
const loadImage = (file: File): Promise<ImageBitmap> => createImageBitmap(file);

/** The kept part of the photo as a JPEG, no larger than a page needs. */
function croppedJpeg(photo: Photo): Promise<Blob> {
  const rect = cropRect(photo.crop, photo.image.width, photo.image.height);
  const size = exportSize(rect.width, rect.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, size.width, size.height);
  context.drawImage(photo.image, rect.x, rect.y, rect.width, rect.height, 0, 0, size.width, size.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob'))), 'image/jpeg', 0.85),
  );
}

export function PhotoUploadPage(props: SignedInProps) {
  const base = recordApi(props.profile, '');
  const { state } = useLoad<UploadOptions>(`${base}/upload-options`);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [pickError, setPickError] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm(
    async () => {
      if (!formRef.current) return;
      if (photos.length === 0) {
        form.fail('Ajoutez au moins une photo du document.', 'photos');
        return;
      }
      const data = new FormData(formRef.current);
      data.delete('pick');
      for (const [index, photo] of photos.entries())
        data.append('photos', await croppedJpeg(photo), `page-${index + 1}.jpg`);
      const doc = await postForm<RecordDocumentView>(`${base}/documents/photos`, data);
      navigate(`/dossier-medical/document?id=${encodeURIComponent(doc.id)}`);
    },
    (code) =>
      code.startsWith('title')
        ? 'title'
        : code.startsWith('type')
          ? 'type'
          : code.startsWith('date')
            ? 'date'
            : 'pick',
  );
  const pick = async (files: FileList | null) => {
    setPickError(undefined);
    const chosen = [...(files ?? [])];
    const room = PHOTOS_MAX - photos.length;
    if (chosen.length > room)
      setPickError(`Un document compte ${PHOTOS_MAX} photos au plus : les suivantes n’ont pas été ajoutées.`);
    const added: Photo[] = [];
    for (const file of chosen.slice(0, Math.max(0, room))) {
      if (file.type !== 'image/jpeg' && file.type !== 'image/png') {
        setPickError(`« ${file.name} » n’est pas une photo JPEG ou PNG.`);
        continue;
      }
      try {
        added.push({
          key: `${Date.now()}-${file.name}-${added.length}`,
          name: file.name,
          image: await loadImage(file),
          crop: noCrop,
        });
      } catch {
        setPickError(`« ${file.name} » ne s’ouvre pas : reprenez la photo.`);
      }
    }
    setPhotos((current) => [...current, ...added]);
  };
  const update = (index: number, change: (photo: Photo) => Photo | undefined) =>
    setPhotos((current) =>
      current.flatMap((photo, i) => (i === index ? [change(photo)].filter((p) => p !== undefined) : [photo])),
    );
  const move = (index: number, by: -1 | 1) =>
    setPhotos((current) => {
      const next = [...current];
      const [photo] = next.splice(index, 1);
      next.splice(index + by, 0, photo!);
      return next;
    });

  if (state.status !== 'loaded')
    return (
      <Page title="Photographier un document" app={appName}>
        {state.status === 'failed' ? <Alert message={state.message} /> : <Loading />}
      </Page>
    );
  return (
    <Page title="Photographier un document" app={appName}>
      <p>
        <Link href="/dossier-medical/ajouter">← Ajouter un fichier à la place</Link>
      </p>
      <p className="hint">
        Prenez une photo par page du document papier, recadrez-les si besoin : elles forment un seul document
        PDF, une page par photo.
      </p>
      <form ref={formRef} onSubmit={form.onSubmit} noValidate encType="multipart/form-data">
        <Alert id={form.errorId} message={form.error} />
        <UploadDescriptionFields form={form} types={state.data.types} typeId="photos-type" />
        <Field
          name="pick"
          type="file"
          label="Photos des pages"
          hint={`JPEG ou PNG, ${PHOTOS_MAX} photos au plus. Vous pouvez en ajouter en plusieurs fois.`}
          accept="image/jpeg,image/png"
          multiple
          errorId={form.errorFor('pick')}
          onChange={(e) => {
            void pick(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <Alert message={pickError} />
        {photos.length > 0 && (
          <ol className="photo-list" aria-label="Pages du document">
            {photos.map((photo, index) => (
              <li key={photo.key} className="card">
                <h2>Page {index + 1}</h2>
                <PhotoCropper
                  photo={photo}
                  page={index + 1}
                  onCrop={(crop) => update(index, (p) => ({ ...p, crop }))}
                />
                <div className="actions">
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    Monter la page {index + 1}
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={index === photos.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    Descendre la page {index + 1}
                  </button>
                  <button
                    type="button"
                    className="button-danger"
                    onClick={() => update(index, () => undefined)}
                  >
                    Retirer la page {index + 1}
                  </button>
                </div>
              </li>
            ))}
          </ol>
        )}
        <SubmitButton busy={form.busy}>
          {photos.length > 1 ? `Ajouter le document de ${photos.length} pages` : 'Ajouter à mon dossier'}
        </SubmitButton>
      </form>
    </Page>
  );
}

const sides: readonly { side: keyof Crop; label: string }[] = [
  { side: 'left', label: 'Rogner à gauche' },
  { side: 'right', label: 'Rogner à droite' },
  { side: 'top', label: 'Rogner en haut' },
  { side: 'bottom', label: 'Rogner en bas' },
];

/** The photo on a canvas with the kept rectangle; a drag draws it, four sliders set it from the keyboard. */
function PhotoCropper({ photo, page, onCrop }: { photo: Photo; page: number; onCrop: (crop: Crop) => void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; y: number } | undefined>(undefined);
  const [live, setLive] = useState<Crop>();
  const crop = live ?? photo.crop;
  const width = PREVIEW_WIDTH;
  const height = Math.round((photo.image.height / photo.image.width) * width);
  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    context.clearRect(0, 0, width, height);
    context.drawImage(photo.image, 0, 0, width, height);
    const kept = cropRect(crop, width, height);
    // What is cut is dimmed; what is kept is framed.
    context.fillStyle = 'rgba(0, 0, 0, 0.55)';
    context.fillRect(0, 0, width, kept.y);
    context.fillRect(0, kept.y + kept.height, width, height - kept.y - kept.height);
    context.fillRect(0, kept.y, kept.x, kept.height);
    context.fillRect(kept.x + kept.width, kept.y, width - kept.x - kept.width, kept.height);
    context.strokeStyle = '#0a76f6';
    context.lineWidth = 2;
    context.strokeRect(kept.x + 1, kept.y + 1, kept.width - 2, kept.height - 2);
  }, [photo.image, crop, width, height]);
  const percentOf = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * 100,
      y: ((event.clientY - box.top) / box.height) * 100,
    };
  };
  const kept = 100 - crop.left - crop.right;
  const keptHigh = 100 - crop.top - crop.bottom;
  return (
    <div className="photo-cropper">
      <canvas
        ref={canvasRef}
        width={width}
        height={height}
        role="img"
        aria-label={`Photo de la page ${page} (${photo.name}), ${kept === 100 && keptHigh === 100 ? 'entière' : `recadrée : ${kept} % de la largeur et ${keptHigh} % de la hauteur gardés`}`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          drag.current = percentOf(event);
        }}
        onPointerMove={(event) => {
          if (!drag.current) return;
          const at = percentOf(event);
          setLive(cropFromDrag(drag.current.x, drag.current.y, at.x, at.y));
        }}
        onPointerUp={(event) => {
          if (!drag.current) return;
          const at = percentOf(event);
          onCrop(cropFromDrag(drag.current.x, drag.current.y, at.x, at.y));
          drag.current = undefined;
          setLive(undefined);
        }}
      />
      <fieldset className="crop-controls">
        <legend>Recadrer la page {page}</legend>
        {sides.map(({ side, label }) => (
          <div key={side} className="field">
            <label htmlFor={`crop-${photo.key}-${side}`}>
              {label} : {crop[side]} %
            </label>
            <input
              id={`crop-${photo.key}-${side}`}
              type="range"
              min={0}
              max={90}
              step={1}
              value={crop[side]}
              onChange={(e) => onCrop(withMargin(crop, side, Number(e.currentTarget.value)))}
            />
          </div>
        ))}
        <button type="button" className="button-secondary" onClick={() => onCrop(noCrop)}>
          Photo entière
        </button>
      </fieldset>
    </div>
  );
}

// A visual preview of the pass front, built only from pass.json data (PassPreviewModel); images are the pass's
// own small PNGs as data: URLs, so nothing is fetched. An approximation of Wallet, good enough to spot a wrong
// colour, a missing logo or swapped fields before sending.
import type { CSSProperties } from 'react';
import type { PassField, PassPreviewModel } from '../../../../main/core/pkpass';

const STYLE_NAMES: Record<PassPreviewModel['style'], string> = {
  boardingPass: 'Boarding pass',
  coupon: 'Coupon',
  eventTicket: 'Event ticket',
  generic: 'Generic pass',
  storeCard: 'Store card',
};

const BARCODE_NAMES: Record<string, string> = {
  PKBarcodeFormatQR: 'QR code',
  PKBarcodeFormatPDF417: 'PDF417',
  PKBarcodeFormatAztec: 'Aztec',
  PKBarcodeFormatCode128: 'Code 128',
};

function Fields({ fields, variant }: { fields: PassField[]; variant: 'header' | 'primary' | 'secondary' | 'auxiliary' }) {
  if (fields.length === 0) return null;
  return (
    <dl className={`chk-pass-fields chk-pass-fields--${variant}`}>
      {fields.map((field) => (
        <div className="chk-pass-field" key={field.key}>
          <dt className="chk-pass-label">{field.label ?? ''}</dt>
          <dd className="chk-pass-value">{field.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PassPreview({ model }: { model: PassPreviewModel }) {
  // Custom properties go through the CSSOM (React's style prop), which the app's CSP allows, unlike style="".
  const colours = {
    ...(model.backgroundColor ? { '--chk-pass-bg': model.backgroundColor } : {}),
    ...(model.foregroundColor ? { '--chk-pass-fg': model.foregroundColor } : {}),
    ...(model.labelColor ? { '--chk-pass-label': model.labelColor } : {}),
  } as CSSProperties;
  const showStrip = Boolean(model.images.strip) && model.style !== 'boardingPass' && model.style !== 'generic';
  const showThumbnail = Boolean(model.images.thumbnail) && !showStrip && (model.style === 'generic' || model.style === 'eventTicket');
  const title = model.description || model.organizationName || 'pass';

  return (
    <figure className={`chk-pass chk-pass--${model.style}`} style={colours} aria-label={`Preview of the pass: ${title}`}>
      <div className="chk-pass-card">
        <div className="chk-pass-top">
          {model.images.logo ? <img className="chk-pass-logo" src={model.images.logo} alt={`${model.organizationName} logo`} /> : null}
          {model.logoText ? <span className="chk-pass-logo-text">{model.logoText}</span> : null}
          <Fields fields={model.headerFields} variant="header" />
        </div>
        <div className={showStrip ? 'chk-pass-primary chk-pass-primary--strip' : 'chk-pass-primary'}>
          {showStrip ? <img className="chk-pass-strip" src={model.images.strip} alt="" /> : null}
          <Fields fields={model.primaryFields} variant="primary" />
          {showThumbnail ? <img className="chk-pass-thumbnail" src={model.images.thumbnail} alt="" /> : null}
        </div>
        <Fields fields={model.secondaryFields} variant="secondary" />
        <Fields fields={model.auxiliaryFields} variant="auxiliary" />
        {model.barcode ? (
          <div className="chk-pass-barcode">
            <span className="chk-pass-barcode-kind">{BARCODE_NAMES[model.barcode.format] ?? model.barcode.format}</span>
            <span className="chk-pass-barcode-message">{model.barcode.message}</span>
          </div>
        ) : null}
      </div>
      <figcaption className="chk-pass-caption">
        {model.images.icon ? <img className="chk-pass-icon" src={model.images.icon} alt="" /> : null}
        <span>
          {STYLE_NAMES[model.style]} · {model.organizationName}
          {model.description ? ` · ${model.description}` : ''}
        </span>
      </figcaption>
    </figure>
  );
}

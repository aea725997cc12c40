// passContent as a form with the raw JSON beside it. Form edits rewrite the JSON; JSON edits update the form
// when they parse, and an invalid JSON text stays as typed with its syntax error (and the form waits for it).
import { useLayoutEffect, useRef, useState } from 'react';
import { EMAIL_LINK_PLACEHOLDER, SMS_LINK_PLACEHOLDER } from '../../../../main/core/pass-content';
import { Field } from '../../components/field';
import { epochToLocalInput, localInputToEpoch } from '../../lib/datetime';
import {
  CHANNELS,
  insertAt,
  readPassForm,
  type Channel,
  type NotificationForm,
  type NotificationKind,
  type PassForm,
} from './pass-form';

export interface PassContentState {
  /** The last valid JSON value: what Send sends. */
  value: unknown;
  /** The JSON text as shown (may be invalid while being typed). */
  text: string;
  syntaxError?: string;
}

const KIND_TITLES: Record<NotificationKind, string> = {
  passIssueNotificationDetails: 'When the pass is issued',
  passUpdateNotificationDetails: 'When the pass is updated',
};

export function PassContentEditor({
  state,
  onFormChange,
  onTextChange,
  disabled,
}: {
  state: PassContentState;
  onFormChange: (form: PassForm) => void;
  onTextChange: (text: string) => void;
  disabled: boolean;
}) {
  const form = readPassForm(state.value);
  const formLocked = disabled || state.syntaxError !== undefined;
  const set = (patch: Partial<PassForm>) => onFormChange({ ...form, ...patch });
  const [focusRecipient, setFocusRecipient] = useState<number | undefined>(undefined);
  const recipientRefs = useRef<(HTMLInputElement | null)[]>([]);

  useLayoutEffect(() => {
    if (focusRecipient === undefined) return;
    recipientRefs.current[focusRecipient]?.focus();
    setFocusRecipient(undefined);
  }, [focusRecipient]);

  return (
    <div className="pass-content-editor">
      <fieldset className="plain pass-form" disabled={formLocked} aria-label="Pass content form">
        {state.syntaxError ? (
          <p className="note warn-note">The form is paused until the JSON on the right parses again.</p>
        ) : null}
        <section className="sub-section" aria-labelledby="recipients-title">
          <h3 id="recipients-title">Recipients</h3>
          <p className="field-hint">Audience member IDs that receive the updated pass.</p>
          <ol className="recipient-list">
            {form.recipients.map((id, index) => (
              <li key={index} className="recipient-row">
                <input
                  ref={(el) => {
                    recipientRefs.current[index] = el;
                  }}
                  aria-label={`Recipient ${index + 1} ID`}
                  value={id}
                  onChange={(e) =>
                    set({ recipients: form.recipients.map((r, i) => (i === index ? e.target.value : r)) })
                  }
                  spellCheck={false}
                  data-testid="recipient-id"
                />
                <button
                  type="button"
                  className="button ghost small"
                  aria-label={`Remove recipient ${index + 1}`}
                  onClick={() => set({ recipients: form.recipients.filter((_, i) => i !== index) })}
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button small"
            onClick={() => {
              set({ recipients: [...form.recipients, ''] });
              setFocusRecipient(form.recipients.length);
            }}
          >
            Add recipient
          </button>
        </section>

        {(['passIssueNotificationDetails', 'passUpdateNotificationDetails'] as const).map((kind) => (
          <section key={kind} className="sub-section" aria-label={KIND_TITLES[kind]}>
            <h3>{KIND_TITLES[kind]}</h3>
            <div className="channel-grid">
              {CHANNELS.map((channel) => (
                <NotificationEditor
                  key={channel}
                  kind={kind}
                  channel={channel}
                  value={form[kind][channel]}
                  onChange={(next) => set({ [kind]: { ...form[kind], [channel]: next } })}
                />
              ))}
            </div>
          </section>
        ))}

        <section className="sub-section" aria-labelledby="schedule-title">
          <h3 id="schedule-title">Delivery</h3>
          <label className="check-row">
            <input type="checkbox" checked={form.priority} onChange={(e) => set({ priority: e.target.checked })} />
            Priority
          </label>
          <div className="two-columns">
            <DateField
              label="Start"
              emptyMeaning="Now"
              value={form.startTimeStamp}
              onChange={(startTimeStamp) => set({ startTimeStamp })}
            />
            <DateField
              label="End"
              emptyMeaning="No end"
              value={form.endTimeStamp}
              onChange={(endTimeStamp) => set({ endTimeStamp })}
            />
          </div>
        </section>
      </fieldset>

      <div className="json-view">
        <Field
          label="passContent JSON"
          hint="Edit here or in the form: both stay in sync."
          error={state.syntaxError}
        >
          {(props) => (
            <textarea
              {...props}
              className="mono json-text"
              value={state.text}
              onChange={(e) => onTextChange(e.target.value)}
              spellCheck={false}
              disabled={disabled}
              rows={24}
              data-testid="pass-json"
            />
          )}
        </Field>
      </div>
    </div>
  );
}

function NotificationEditor({
  kind,
  channel,
  value,
  onChange,
}: {
  kind: NotificationKind;
  channel: Channel;
  value: NotificationForm;
  onChange: (next: NotificationForm) => void;
}) {
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const pendingCursor = useRef<number | undefined>(undefined);
  const placeholder = channel === 'SMS' ? SMS_LINK_PLACEHOLDER : EMAIL_LINK_PLACEHOLDER;
  const set = (patch: Partial<NotificationForm>) => onChange({ ...value, ...patch });
  const prefix = `${kind === 'passIssueNotificationDetails' ? 'issue' : 'update'}-${channel.toLowerCase()}`;

  useLayoutEffect(() => {
    // Put the cursor right after an inserted placeholder once React has written the new text.
    if (pendingCursor.current === undefined || !messageRef.current) return;
    messageRef.current.focus();
    messageRef.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
    pendingCursor.current = undefined;
  });

  const insertLink = () => {
    const area = messageRef.current;
    const start = area?.selectionStart ?? value.messageContent.length;
    const end = area?.selectionEnd ?? start;
    const next = insertAt(value.messageContent, start, end, placeholder);
    pendingCursor.current = next.cursor;
    set({ messageContent: next.value });
  };

  return (
    <div className={`channel-card${value.enabled ? '' : ' off'}`} data-testid={prefix}>
      <label className="check-row channel-toggle">
        <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {channel === 'SMS' ? 'Send an SMS' : 'Send an email'}
      </label>
      {channel === 'EMAIL' ? (
        <>
          <Field label="Subject">
            {(props) => <input {...props} value={value.subject} onChange={(e) => set({ subject: e.target.value })} />}
          </Field>
          <div className="two-columns">
            <Field label="Sender name">
              {(props) => <input {...props} value={value.senderName} onChange={(e) => set({ senderName: e.target.value })} />}
            </Field>
            <Field label="Sender email">
              {(props) => (
                <input {...props} type="email" value={value.senderEmail} onChange={(e) => set({ senderEmail: e.target.value })} />
              )}
            </Field>
          </div>
        </>
      ) : null}
      <Field label="Message">
        {(props) => (
          <textarea
            {...props}
            ref={messageRef}
            rows={3}
            value={value.messageContent}
            onChange={(e) => set({ messageContent: e.target.value })}
            data-testid={`${prefix}-message`}
          />
        )}
      </Field>
      <button type="button" className="button small" onClick={insertLink} title={`Inserts ${placeholder} at the cursor`}>
        Insert pass link
      </button>
    </div>
  );
}

function DateField({
  label,
  emptyMeaning,
  value,
  onChange,
}: {
  label: string;
  emptyMeaning: string;
  value: number;
  onChange: (epochMs: number) => void;
}) {
  const local = epochToLocalInput(value);
  return (
    <Field label={label} hint={value === 0 ? `Empty: ${emptyMeaning.toLowerCase()} (0)` : `Local time · epoch ms ${value}`}>
      {(props) => (
        <div className="date-row">
          <input
            {...props}
            type="datetime-local"
            value={local}
            onChange={(e) => {
              const next = localInputToEpoch(e.target.value);
              if (next !== undefined) onChange(next);
            }}
          />
          <button type="button" className="button ghost small" onClick={() => onChange(0)} disabled={value === 0}>
            {emptyMeaning}
          </button>
        </div>
      )}
    </Field>
  );
}

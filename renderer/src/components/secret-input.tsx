// A password field with a Show toggle (issue #21), so a long passphrase or secret can be checked before it is sent.
// The button's name stays "Show <what>" and aria-pressed says whether the text is shown: a name that flips to
// "Hide" as well would be read as "Hide passphrase, pressed", the opposite of the state. Emptying the field hides
// it again; never autofilled or spell-checked.
import { useEffect, useState, type ComponentProps } from 'react';

export function SecretInput({ what, ...props }: ComponentProps<'input'> & { what: string }) {
  const [shown, setShown] = useState(false);
  const empty = props.value === undefined || props.value === '';
  useEffect(() => {
    if (empty) setShown(false);
  }, [empty]);
  return (
    <span className="secret-input">
      <input {...props} type={shown && !empty ? 'text' : 'password'} spellCheck={false} autoComplete={props.autoComplete ?? 'off'} />
      <button
        type="button"
        className="button ghost small secret-toggle"
        aria-pressed={shown}
        aria-label={`Show ${what}`}
        title={shown ? `Hide the ${what}` : `Show the ${what}`}
        disabled={props.disabled}
        onClick={() => setShown((value) => !value)}
      >
        Show
      </button>
    </span>
  );
}

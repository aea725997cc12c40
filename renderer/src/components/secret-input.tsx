// A password field with Show/Hide (issue #21), so a long passphrase can be checked before it is sent. Hidden again
// whenever the field loses its value, and never autofilled or spell-checked.
import { useState, type InputHTMLAttributes } from 'react';

export function SecretInput({ what, ...props }: InputHTMLAttributes<HTMLInputElement> & { what: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span className="secret-input">
      <input {...props} type={shown && props.value !== '' ? 'text' : 'password'} spellCheck={false} autoComplete="off" />
      <button
        type="button"
        className="button ghost small"
        aria-pressed={shown}
        aria-label={`${shown ? 'Hide' : 'Show'} ${what}`}
        onClick={() => setShown((value) => !value)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </span>
  );
}

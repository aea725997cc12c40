// Text a server or a file chose (messages, names, ids): control and direction characters shown escaped, and the
// whole isolated (<bdi>) so right-to-left letters in it cannot reorder what stands beside it (issue #18).
import { inert } from '../../../main/core/inert';

export function UntrustedText({ text, className }: { text: string; className?: string }) {
  return <bdi className={className}>{inert(text)}</bdi>;
}

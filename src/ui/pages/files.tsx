import { useRef, useState } from 'preact/hooks';
import { api, message, upload, withQuery } from '../api.ts';
import { ErrorBox, Field, Notice, Section } from '../components/ui.tsx';
import { bytes, time } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { can, useUser } from '../session.ts';

export interface StoredFile {
  id: string;
  name: string;
  fileType: string;
  target: { oui: string | null; productClass: string | null; softwareVersion: string | null };
  size: number;
  sha256: string;
  createdAt: number;
  createdBy: string | null;
}

export const FILE_TYPES = [
  '1 Firmware Upgrade Image',
  '2 Web Content',
  '3 Vendor Configuration File',
  '4 Tone File',
  '5 Ringer File',
];

export function FilesPage() {
  const user = useUser();
  const list = useAsync(
    () => api.get<{ files: StoredFile[] }>('/api/v1/files', { limit: 500 }),
    [],
  );
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [fileType, setFileType] = useState(FILE_TYPES[0]!);
  const [oui, setOui] = useState('');
  const [productClass, setProductClass] = useState('');
  const [fromVersion, setFromVersion] = useState('');
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const abort = useRef<(() => void) | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (file === null) return;
    setError(null);
    setNotice(null);
    const path = withQuery('/api/v1/files', {
      name: name.trim() || file.name,
      fileType,
      oui: oui.trim() || undefined,
      productClass: productClass.trim() || undefined,
      softwareVersion: fromVersion.trim() || undefined,
    });
    const u = upload<StoredFile>(path, file, (loaded, total) => setProgress({ loaded, total }));
    abort.current = u.abort;
    setProgress({ loaded: 0, total: file.size });
    try {
      const stored = await u.done;
      setNotice(
        `Stored ${stored.name} (${bytes(stored.size)}, SHA-256 ${stored.sha256.slice(0, 12)}…).`,
      );
      setFile(null);
      setName('');
      if (input.current) input.current.value = '';
      list.reload();
    } catch (err) {
      setError(message(err));
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const remove = async (f: StoredFile) => {
    if (!confirm(`Delete ${f.name}? A queued Download of it will fail.`)) return;
    try {
      await api.del(`/api/v1/files/${f.id}`);
      list.reload();
    } catch (err) {
      setError(message(err));
    }
  };

  const files = list.data?.files ?? [];
  return (
    <>
      <h1>Files</h1>
      {can(user, 'operator') ? (
        <Section title="Upload a file">
          <form onSubmit={submit} class="upload-form">
            <div class="row">
              <Field label="File">
                <input
                  ref={input}
                  name="file"
                  type="file"
                  required
                  onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                />
              </Field>
              <Field label="Name" hint="default: the file's name">
                <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
              </Field>
              <Field label="File type">
                <select value={fileType} onChange={(e) => setFileType(e.currentTarget.value)}>
                  {FILE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <fieldset>
              <legend>Target (empty: any device)</legend>
              <div class="row">
                <Field label="OUI">
                  <input value={oui} onInput={(e) => setOui(e.currentTarget.value)} />
                </Field>
                <Field label="Product class">
                  <input
                    value={productClass}
                    onInput={(e) => setProductClass(e.currentTarget.value)}
                  />
                </Field>
                <Field label="From software version">
                  <input
                    value={fromVersion}
                    onInput={(e) => setFromVersion(e.currentTarget.value)}
                  />
                </Field>
              </div>
            </fieldset>
            {progress ? (
              <div class="progress">
                <label>
                  Uploading {bytes(progress.loaded)} of {bytes(progress.total)}
                  <progress max={progress.total || 1} value={progress.loaded} />
                </label>
                <button type="button" class="secondary" onClick={() => abort.current?.()}>
                  Cancel upload
                </button>
              </div>
            ) : null}
            <ErrorBox error={error} />
            <Notice text={notice} />
            <button type="submit" disabled={file === null || progress !== null}>
              Upload
            </button>
          </form>
        </Section>
      ) : null}
      <Section title="Stored files">
        <ErrorBox error={list.error} />
        {list.data && files.length === 0 ? <p class="muted">No files.</p> : null}
        {files.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">File type</th>
                <th scope="col">Target</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{f.fileType}</td>
                  <td>
                    {[
                      f.target.oui && `OUI ${f.target.oui}`,
                      f.target.productClass && `class ${f.target.productClass}`,
                      f.target.softwareVersion && `from ${f.target.softwareVersion}`,
                    ]
                      .filter(Boolean)
                      .join(', ') || 'any'}
                  </td>
                  <td>{bytes(f.size)}</td>
                  <td class="mono" title={f.sha256}>
                    {f.sha256.slice(0, 12)}…
                  </td>
                  <td>
                    {time(f.createdAt)}
                    {f.createdBy ? ` by ${f.createdBy}` : ''}
                  </td>
                  <td class="actions">
                    <a
                      class="button small secondary"
                      href={`/api/v1/files/${f.id}/content`}
                      download={f.name}
                    >
                      Download
                    </a>
                    {can(user, 'operator') ? (
                      <button type="button" class="small danger" onClick={() => remove(f)}>
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
    </>
  );
}

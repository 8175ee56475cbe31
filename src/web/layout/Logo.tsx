/** The 急报 mark: a lightning bolt on a red seal. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" className="logo">
      <defs>
        <linearGradient id="jb-red" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#e53935" />
          <stop offset="1" stopColor="#a50d12" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="14" fill="url(#jb-red)" />
      <circle cx="32" cy="32" r="25" fill="none" stroke="#ffd54f" strokeOpacity=".55" strokeWidth="2" />
      <path d="M36 9 17 36h12l-4 20 22-29H35z" fill="#ffd54f" />
    </svg>
  );
}

/**
 * The widget's CSS, inside its shadow root (the host page's CSS cannot reach it). The theme colour
 * is the custom property --zb-color on the host; avatar states change by transitions, not jumps.
 */
export const STYLES = `
:host{all:initial;--zb-color:#2f6fed;font-family:system-ui,"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;
  background:var(--zb-color);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646}
.panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:540px;
  max-height:calc(100vh - 120px);background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);
  display:none;flex-direction:column;overflow:hidden;z-index:2147483647;color:#222}
:host([data-position=bottom-left]) .launcher{left:20px;right:auto}
:host([data-position=bottom-left]) .panel{left:20px;right:auto}
.panel.open{display:flex}
header{display:flex;align-items:center;gap:10px;padding:10px 12px;background:var(--zb-color);color:#fff}
header .who{flex:1;min-width:0}
header .name{font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header .status{font-size:12px;opacity:.9;transition:opacity .3s}
header .emotion{font-size:11px;margin-left:6px;padding:0 6px;border-radius:8px;background:rgba(255,255,255,.25)}
header .emotion:empty{display:none}
header button{border:0;background:rgba(255,255,255,.18);color:#fff;border-radius:8px;height:28px;min-width:28px;
  padding:0 8px;font:inherit;font-size:12px;cursor:pointer;transition:background .2s}
header button:hover{background:rgba(255,255,255,.32)}
header button.voice[aria-pressed=true]{background:#fff;color:var(--zb-color)}
.avatar{position:relative;width:44px;height:44px;flex:none;border-radius:50%;
  transition:box-shadow .4s ease,transform .4s ease,filter .4s ease;box-shadow:0 0 0 2px rgba(255,255,255,.7)}
.avatar img,.avatar svg{width:100%;height:100%;border-radius:50%;object-fit:cover;display:block}
.avatar[data-state=thinking]{box-shadow:0 0 0 3px #ffd36b;filter:saturate(.8)}
.avatar[data-state=speaking]{box-shadow:0 0 0 4px #7dffb0;transform:scale(1.06);
  animation:speak .6s ease-in-out infinite alternate}
@keyframes speak{to{box-shadow:0 0 0 7px rgba(125,255,176,.45)}}
.avatar .dots{position:absolute;right:-4px;bottom:-2px;background:#fff;color:#333;border-radius:8px;font-size:10px;
  line-height:12px;padding:0 3px;opacity:0;transition:opacity .3s}
.avatar[data-state=thinking] .dots{opacity:1}
.avatar .mouth{transform-origin:20px 28px;transition:transform .3s}
.avatar[data-state=speaking] .mouth{animation:talk .25s infinite alternate}
@keyframes talk{from{transform:scaleY(.3)}to{transform:scaleY(1.3)}}
.scenario{display:none;flex:none;flex-direction:column;gap:6px;padding:8px 12px;border-bottom:1px solid #e3e6ef;
  background:#fbfcff;font-size:13px;max-height:55%;overflow-y:auto}
.scenario.shown{display:flex}
.scenario .top{display:flex;align-items:center;gap:8px}
.scenario .phase{font-weight:600;flex:1}
.scenario .countdown{font-variant-numeric:tabular-nums;color:var(--zb-color);font-weight:600}
.scenario .countdown.low{color:#c0392b}
.scenario .waiting{color:#8a5a00}
.scenario button{border:1px solid var(--zb-color);color:var(--zb-color);background:#fff;border-radius:14px;
  padding:3px 10px;font:inherit;font-size:12px;cursor:pointer;transition:background .2s,color .2s}
.scenario button:hover{background:var(--zb-color);color:#fff}
.scenario .suggestions{display:flex;flex-wrap:wrap;gap:6px}
.scenario .suggestions:empty{display:none}
.scenario form{display:flex;flex-direction:column;gap:6px}
.scenario .fields{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:6px}
.scenario .form-title{font-weight:600}
.scenario label{display:flex;flex-direction:column;gap:2px;font-size:12px;color:#555}
.scenario input{font:inherit;font-size:13px;padding:4px 6px;border:1px solid #cdd3e0;border-radius:6px;min-width:0;
  width:100%;box-sizing:border-box}
.scenario input[aria-invalid=true]{border-color:#c0392b;background:#fff5f4}
.scenario .form-error{color:#c0392b;font-size:12px}
.scenario .form-error:empty{display:none}
.scenario .ended{color:#555}
.log{flex:1;min-height:96px;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}
.msg{max-width:80%;padding:8px 11px;border-radius:12px;font-size:14px;line-height:1.45;white-space:pre-wrap;
  word-break:break-word}
.msg.user{align-self:flex-end;background:var(--zb-color);color:#fff;border-bottom-right-radius:4px}
.msg.persona{align-self:flex-start;background:#fff;color:#222;border:1px solid #e3e6ef;border-bottom-left-radius:4px}
.msg.interrupted::after{content:" …";opacity:.6}
.msg.notice{align-self:center;background:none;color:#a33;font-size:12px}
.msg.handover{align-self:center;background:none;color:#667;font-size:12px}
.msg .author{display:block;font-size:11px;font-weight:600;color:var(--zb-color);margin-bottom:2px}
.failure{align-self:flex-end;display:flex;gap:8px;align-items:center;font-size:12px;color:#a33}
.failure button{border:0;background:none;color:var(--zb-color);text-decoration:underline;cursor:pointer;font:inherit}
.composer{display:flex;gap:6px;padding:10px;border-top:1px solid #e3e6ef}
textarea{flex:1;resize:none;height:38px;padding:8px;border:1px solid #cdd3e0;border-radius:8px;font:inherit;
  font-size:14px}
textarea:focus{outline:2px solid var(--zb-color);outline-offset:-1px}
.composer button{border:0;border-radius:8px;background:var(--zb-color);color:#fff;padding:0 14px;font:inherit;
  font-size:14px;cursor:pointer;transition:background .2s}
.composer button[disabled]{opacity:.5;cursor:default}
.composer button.stop{background:#c0392b}
@media (max-width:480px){
  .panel{right:0;left:0;bottom:0;top:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}
  :host([data-position=bottom-left]) .panel{left:0}
  .panel.open + .launcher,.launcher.hidden{display:none}
  .msg{max-width:88%}
}
`;

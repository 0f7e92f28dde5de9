/** Styles of the customer's privacy tools, inside their closed shadow roots (the page cannot restyle them). */

export const OUTLINE_STYLE = `
.layer { position: fixed; inset: 0; pointer-events: none; z-index: 2147483646; overflow: hidden; }
.box { position: absolute; box-sizing: border-box; border-radius: 4px; }
.box.masked { outline: 2px dashed #d97706; outline-offset: 1px; background: rgba(217, 119, 6, .06); }
.box.blocked, .box.hidden {
  outline: 2px solid #475467; outline-offset: 1px;
  background: repeating-linear-gradient(135deg, rgba(71, 84, 103, .28) 0 6px, rgba(71, 84, 103, .08) 6px 12px);
}
.tag { position: absolute; left: 0; top: 0; transform: translateY(-100%); display: flex; gap: 6px; align-items: center;
  padding: 2px 6px; border-radius: 4px 4px 0 0; background: #475467; color: #fff; font: 600 11px/1.4 system-ui, sans-serif; white-space: nowrap; }
.box.inside .tag { transform: none; border-radius: 4px 0 4px 0; }
.tag button { all: unset; pointer-events: auto; cursor: pointer; padding: 0 6px; border-radius: 3px; background: #fff; color: #344054; font: 700 11px/1.5 system-ui, sans-serif; }
.tag button:focus-visible { outline: 2px solid #fff; outline-offset: 1px; }
`;

export const PANEL_STYLE = `
.panel { position: fixed; left: 16px; bottom: 16px; z-index: 2147483647; display: flex; flex-direction: column; gap: 8px;
  align-items: flex-start; max-width: min(620px, calc(100vw - 330px)); min-width: 220px; font: 14px/1.35 system-ui, sans-serif; color: #101828; }
.bar { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px; border-radius: 12px; background: #fff; box-shadow: 0 6px 24px rgba(16, 24, 40, .22); }
button { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 6px; padding: 7px 11px; border-radius: 8px; white-space: nowrap;
  font: 600 13px/1.2 system-ui, sans-serif; color: #101828; background: #f2f4f7; }
button:hover { background: #e4e7ec; }
button:focus-visible { outline: 3px solid #2e90fa; outline-offset: 1px; }
button.primary { background: #101828; color: #fff; }
button[aria-pressed="true"] { background: #fef0c7; color: #7a2e0e; }
.legend { padding: 8px 10px; border-radius: 10px; background: #fff; box-shadow: 0 6px 24px rgba(16, 24, 40, .18); font-size: 12px; display: grid; gap: 4px; }
.legend span { display: inline-block; width: 18px; height: 10px; margin-right: 6px; vertical-align: middle; border-radius: 2px; }
.legend .m { outline: 2px dashed #d97706; background: rgba(217, 119, 6, .06); }
.legend .h { background: repeating-linear-gradient(135deg, rgba(71, 84, 103, .5) 0 3px, rgba(71, 84, 103, .15) 3px 6px); }
.hint { padding: 8px 10px; border-radius: 10px; background: #101828; color: #fff; font-size: 13px; }
.catcher { position: fixed; inset: 0; z-index: 2147483646; cursor: crosshair; background: transparent; }
.pick { position: fixed; z-index: 2147483646; pointer-events: none; box-sizing: border-box; border-radius: 4px;
  outline: 3px solid #2e90fa; background: rgba(46, 144, 250, .15); }
.pick b { position: absolute; left: 0; top: 0; transform: translateY(-100%); padding: 2px 6px; border-radius: 4px 4px 0 0;
  background: #2e90fa; color: #fff; font: 600 11px/1.4 system-ui, sans-serif; white-space: nowrap; }
[hidden] { display: none !important; }
`;
